package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The platform scaled out: two replicas each of identity-service, ticket-service and
 * channel-gateway, all from their packaged jars. Requests go through both gateways while the
 * ticket-service replica holding the outbox lease is SIGKILLed and later restarted, then the next
 * holder is frozen (SIGSTOP, connections left open) and thawed. Every accepted
 * request must have exactly one ticket, every ticket's events must reach ticket-events with no
 * gap in their sequence, publishing must resume within 10 s, and both gateways must answer alike.
 */
class ScaleOutTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void requestsSurviveKillingTheActiveRelayWithTwoReplicasOfEachService() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        ScaleDeployment deployment = ScaleDeployment.fresh("scale");
        String ticketGroup = deployment.ticketGroup();
        Map<String, String> ticketSettings = deployment.ticketSettings();
        Map<String, String> gatewaySettings = deployment.gatewaySettings();

        List<ServiceProcess> all = new ArrayList<>();
        try {
            List<ServiceProcess> identity = List.of(ServiceProcess.of("identity-service", Map.of("DB_NAME", "identity_e2e")),
                    ServiceProcess.of("identity-service", Map.of("DB_NAME", "identity_e2e")));
            List<ServiceProcess> tickets = new ArrayList<>(List.of(ServiceProcess.of("ticket-service", ticketSettings),
                    ServiceProcess.of("ticket-service", ticketSettings)));
            List<ServiceProcess> gateways = List.of(ServiceProcess.of("channel-gateway", gatewaySettings),
                    ServiceProcess.of("channel-gateway", gatewaySettings));
            all.addAll(identity);
            all.addAll(tickets);
            all.addAll(gateways);
            ServiceProcess.startAll(all);
            assertOneActiveRelay(identity);
            assertOneActiveRelay(tickets);

            String agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                customers.add(KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer")));
            }

            // Load: 4 clients, alternating gateways, until both failovers are behind us.
            java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<String> accepted = new CopyOnWriteArrayList<>();
            Map<String, String> ownerToken = new ConcurrentHashMap<>();
            Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
            Instant loadStart = Instant.now();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int c = 0; c < 4; c++) {
                String token = customers.get(c);
                int client = c;
                clients.execute(() -> {
                    for (int i = 0; loading.get() && Duration.between(loadStart, Instant.now()).toMinutes() < 3; i++) {
                        String gateway = gateways.get((client + i) % 2).baseUrl();
                        String id = submit(gateway, token, "scale-" + run + "-" + client + "-" + i, accepted, refusals);
                        if (id != null) {
                            ownerToken.put(id, token);
                        }
                        sleep(100);
                    }
                });
            }

            // Staff work on the first tickets while the kill happens, so tickets have several events.
            sleep(5_000);
            awaitBothConsuming(ticketGroup);
            ServiceProcess active = activeRelay(tickets);
            ServiceProcess standby = tickets.get(0) == active ? tickets.get(1) : tickets.get(0);
            List<String> soFar = List.copyOf(accepted);
            List<String> worked = ticketsOf(soFar.subList(0, Math.min(30, soFar.size())));
            Instant killedAt = Instant.now();
            active.kill();
            System.out.printf("%s Killed the active relay (ticket-service pid %d) after %d accepted requests%n",
                    killedAt, active.pid(), accepted.size());
            work(agentToken, standby, worked);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> relayRole(standby).equals("active"));
            sleep(3_000);
            ServiceProcess restarted = ServiceProcess.of("ticket-service", ticketSettings);
            tickets.set(tickets.indexOf(active), restarted);
            all.add(restarted);
            restarted.start();

            // Then the new holder freezes (SIGSTOP) with its connections open: a replica cut off.
            ServiceProcess frozen = activeRelay(tickets);
            ServiceProcess other = tickets.get(0) == frozen ? tickets.get(1) : tickets.get(0);
            List<String> soFarAtFreeze = List.copyOf(accepted);
            List<String> workedAtFreeze = ticketsOf(soFarAtFreeze.subList(30, Math.min(60, soFarAtFreeze.size())));
            Instant frozenAt = Instant.now();
            frozen.freeze();
            work(agentToken, other, workedAtFreeze);
            System.out.printf("%s Froze the active relay (ticket-service pid %d) after %d accepted requests%n",
                    frozenAt, frozen.pid(), accepted.size());
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> relayRole(other).equals("active"));
            sleep(3_000);
            frozen.thaw();
            // Back from its freeze it finds the lease taken and stands by; it never publishes beside the holder.
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> relayRole(frozen).equals("standby"));
            sleep(2_000);
            loading.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertOneActiveRelay(tickets);

            System.out.printf("Accepted %d requests through two gateways; refusals by status: %s%n", accepted.size(),
                    refusals);
            assertThat(accepted.size()).isGreaterThan(300);
            assertThat(refusals).isEmpty();

            // Every accepted request has exactly one ticket (request_id is unique; all must be there).
            Map<String, Integer> sequences = awaitTickets(accepted);
            // Every ticket's events reach ticket-events with no gap in their sequence.
            Map<String, Set<Integer>> published = new HashMap<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                published.clear();
                for (ConsumerRecord<String, String> r : KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                        r -> sequences.containsKey(r.key()), Integer.MAX_VALUE, Duration.ofMillis(500))) {
                    published.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(sequenceOf(r.value()));
                }
                return sequences.entrySet().stream().allMatch(e -> published.getOrDefault(e.getKey(), Set.of())
                        .size() == e.getValue());
            });
            sequences.forEach((ticket, last) -> {
                Set<Integer> expected = new TreeSet<>();
                for (int s = 1; s <= last; s++) {
                    expected.add(s);
                }
                assertThat(published.get(ticket)).as("event sequences of %s", ticket).isEqualTo(expected);
            });
            assertThat(sequences.values().stream().filter(s -> s >= 2).count())
                    .isEqualTo(worked.size() + workedAtFreeze.size());

            // Publishing resumed within 10 s: the staff changes made right after each failover wait in
            // the outbox until a relay streams again; their first publication is when it did.
            List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                    r -> sequences.containsKey(r.key()), Integer.MAX_VALUE, Duration.ofMillis(500));
            long killPause = firstWorkPublished(events, worked) - killedAt.toEpochMilli();
            long freezePause = firstWorkPublished(events, workedAtFreeze) - frozenAt.toEpochMilli();
            System.out.printf("Publishing resumed %d ms after the active relay was killed, %d ms after it froze"
                    + " (lease 3,000 ms)%n", killPause, freezePause);
            assertThat(killPause).isLessThan(10_000);
            assertThat(freezePause).isLessThan(10_000);

            // Both gateways give the same answer for any request.
            for (String requestId : accepted.stream().limit(40).toList()) {
                String owner = ownerToken.get(requestId);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                    String a = state(gateways.get(0).baseUrl(), requestId, owner);
                    String b = state(gateways.get(1).baseUrl(), requestId, owner);
                    return a.equals(b) && a.contains("\"ticketId\":\"") && !a.contains("\"status\":\"submitted\"");
                });
            }
        } finally {
            Collections.reverse(all);
            all.forEach(ServiceProcess::close);
        }
    }

    /** Submits one request; returns its id when accepted. */
    private String submit(String gateway, String token, String key, List<String> accepted, Map<Integer, Integer> refusals) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"requestType\":\"faultRepair\",\"description\":\"Broadband drops every evening\"}")).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher id = REQUEST_ID.matcher(response.body());
            if (response.statusCode() == 202 && id.find()) {
                accepted.add(id.group(1));
                return id.group(1);
            }
            refusals.merge(response.statusCode(), 1, Integer::sum);
        } catch (Exception e) {
            refusals.merge(-1, 1, Integer::sum);
        }
        return null;
    }

    /** The request's state as one gateway reports it to its owner (its progress list left out). */
    private String state(String gateway, String requestId, String token) {
        return given().baseUri(gateway).auth().oauth2(token).when().get("/api/v1/requests/" + requestId)
                .then().extract().body().asString().replaceAll("\"progress\":\\[.*\\]", "");
    }

    /** An agent moves these tickets on, through the given ticket-service replica. */
    private static void work(String agentToken, ServiceProcess replica, List<String> ticketIds) {
        for (String ticketId : ticketIds) {
            given().auth().oauth2(agentToken).baseUri(replica.baseUrl()).contentType("application/merge-patch+json")
                    .body("{\"status\":\"inProgress\",\"note\":[{\"text\":\"On it\"}]}")
                    .when().patch("/tmf-api/troubleTicket/v5/troubleTicket/" + ticketId).then().statusCode(200);
        }
    }

    /** When the first of these tickets' second event (the staff change) reached ticket-events. */
    private static long firstWorkPublished(List<ConsumerRecord<String, String>> events, List<String> ticketIds) {
        return events.stream().filter(r -> ticketIds.contains(r.key()) && sequenceOf(r.value()) == 2)
                .mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
    }

    /** Waits until the group is stable and two members read channel-requests partitions. */
    private static void awaitBothConsuming(String group) {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                io.unichannel.common.testing.PlatformInfra.kafkaBootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                long readers = description.members().stream().filter(m -> m.assignment().topicPartitions().stream()
                        .anyMatch(p -> p.topic().equals(Topics.CHANNEL_REQUESTS))).count();
                return description.groupState() == org.apache.kafka.common.GroupState.STABLE && readers == 2;
            });
        }
    }

    private static int sequenceOf(String value) {
        Matcher m = Pattern.compile("\"sequence\":(\\d+)").matcher(value);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static Map<String, Integer> awaitTickets(List<String> requestIds) throws Exception {
        Map<String, Integer> sequences = new HashMap<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sequences.clear();
            try (Connection db = database(ScaleDeployment.TICKET_DB); PreparedStatement query = db.prepareStatement(
                    "SELECT id, sequence FROM trouble_ticket WHERE request_id::text = ANY (?)")) {
                query.setArray(1, db.createArrayOf("text", requestIds.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        sequences.put(rows.getString(1), rows.getInt(2));
                    }
                }
            }
            return sequences.size() == requestIds.size();
        });
        return sequences;
    }

    private static List<String> ticketsOf(List<String> requestIds) throws Exception {
        List<String> ids = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            ids.clear();
            try (Connection db = database(ScaleDeployment.TICKET_DB); PreparedStatement query = db.prepareStatement(
                    "SELECT id FROM trouble_ticket WHERE request_id::text = ANY (?)")) {
                query.setArray(1, db.createArrayOf("text", requestIds.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            return ids.size() == requestIds.size();
        });
        return ids;
    }

    private static Connection database(String name) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432")
                + "/" + name, "postgres", "postgres");
    }

    private String relayRole(ServiceProcess service) {
        String body = given().baseUri(service.baseUrl()).when().get("/q/health/ready").then().extract().body().asString();
        Matcher role = Pattern.compile("\"role\"\\s*:\\s*\"(\\w+)\"").matcher(body);
        return role.find() ? role.group(1) : "none";
    }

    private ServiceProcess activeRelay(List<ServiceProcess> replicas) {
        return replicas.stream().filter(r -> relayRole(r).equals("active")).findFirst()
                .orElseThrow(() -> new AssertionError("no replica holds the outbox lease"));
    }

    /** Exactly one replica publishes; the others say they stand by. */
    private void assertOneActiveRelay(List<ServiceProcess> replicas) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> roles = replicas.stream().map(this::relayRole).toList();
            assertThat(roles).containsExactlyInAnyOrder("active", "standby");
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
