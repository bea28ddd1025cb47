package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import io.unichannel.common.testing.SseClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SLA timers with two ticket-service replicas (packaged jars, real Kafka and PostgreSQL): every
 * warning and breach fires exactly once; stages that fall due while every replica is SIGKILLed
 * fire once one is back; and the customer's progress stream on the gateway shows the promise
 * ("expected by") disappear while the ticket waits on them and come back later.
 */
class SlaReplicasTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void eachStageFiresOnceAcrossReplicasAndStagesDueDuringAnOutageFireAfterIt() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        ScaleDeployment deployment = ScaleDeployment.fresh("sla").withTicketSetting("SLA_POLICIES_FILE",
                Path.of("src/test/resources/sla-policies-replicas.json").toAbsolutePath().toString());
        Map<String, String> ticketSettings = deployment.ticketSettings();
        Map<String, String> gatewaySettings = deployment.gatewaySettings();
        List<ServiceProcess> all = new ArrayList<>();
        try {
            List<ServiceProcess> tickets = List.of(ServiceProcess.of("ticket-service", ticketSettings),
                    ServiceProcess.of("ticket-service", ticketSettings));
            ServiceProcess gateway = ServiceProcess.of("channel-gateway", gatewaySettings);
            all.addAll(tickets);
            all.add(gateway);
            ServiceProcess.startAll(all);
            String customer = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
            String agent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));

            // 20 fault repairs: first response due 4 s after each ticket opened, resolution 30 s.
            List<String> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(submit(gateway.baseUrl(), customer, "faultRepair", "sla-" + run + "-" + i));
            }
            Map<String, String> ticketOf = awaitTickets(requests);
            Instant lastOpened = openedAt(ticketOf.values()).stream().max(Instant::compareTo).orElseThrow();

            // Both replicas poll; the first-response warning (2 s) and breach (4 s) must fire once per ticket.
            List<ConsumerRecord<String, String>> firstResponse = stages(ticketOf.values(), "firstResponse", 40, Duration.ofSeconds(30));
            assertThat(countByTicketAndAction(firstResponse)).hasSize(40).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));

            // Every replica is SIGKILLed before the resolution warning (15 s) is due, and one comes back after it.
            Duration untilWarning = Duration.between(Instant.now(), lastOpened.plusSeconds(15));
            assertThat(untilWarning).as("time left before the resolution warnings fall due").isPositive();
            Instant killedAt = Instant.now();
            for (ServiceProcess replica : tickets) {
                replica.kill();
            }
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastOpened.plusSeconds(17)).toMillis()));
            ServiceProcess restarted = ServiceProcess.of("ticket-service", ticketSettings);
            all.add(restarted);
            restarted.start();
            Instant back = Instant.now();
            System.out.printf("SLA replicas: killed both replicas at %s, one back at %s%n", killedAt, back);

            List<ConsumerRecord<String, String>> resolution = stages(ticketOf.values(), "resolution", 40, Duration.ofSeconds(40));
            assertThat(countByTicketAndAction(resolution)).hasSize(40).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            for (ConsumerRecord<String, String> record : resolution) {
                JsonNode body = JSON.readTree(CloudEventRecords.fromRecord(record).data());
                if ("warn".equals(body.at("/slaStage/action").asText())) {
                    // due during the outage, fired after it
                    assertThat(OffsetDateTime.parse(body.at("/slaStage/dueAt").asText()).toInstant()).isBefore(back);
                    assertThat(OffsetDateTime.parse(body.get("eventTime").asText()).toInstant()).isAfter(killedAt);
                }
            }
            long lagMax = resolution.stream().mapToLong(SlaReplicasTest::lagMillis).filter(l -> l >= 0).max().orElseThrow();
            System.out.printf("SLA replicas: 80 stages of 20 tickets fired once each; longest lag %d ms (stages due during the outage)%n", lagMax);

            // The customer follows a complaint; it waits on them, then resumes: the promise pauses and moves.
            String complaint = submit(gateway.baseUrl(), customer, "complaint", "sla-" + run + "-c");
            String complaintTicket = awaitTickets(List.of(complaint)).get(complaint);
            try (SseClient stream = SseClient.open(URI.create(gateway.baseUrl() + "/api/v1/requests/" + complaint + "/events"),
                    customer, null)) {
                assertThat(stream.status()).isEqualTo(200);
                JsonNode created = awaitStep(stream, "acknowledged");
                OffsetDateTime promised = OffsetDateTime.parse(created.get("expectedBy").asText());
                patch(restarted, agent, complaintTicket, "{\"status\":\"pending\",\"statusChangeReason\":\"Which address?\"}");
                JsonNode pending = awaitStep(stream, "pending");
                assertThat(pending.has("expectedBy")).as("no promise while waiting on the customer: %s", pending).isFalse();
                Thread.sleep(2_000);
                patch(restarted, agent, complaintTicket, "{\"status\":\"inProgress\"}");
                JsonNode resumed = awaitStep(stream, "inProgress");
                OffsetDateTime moved = OffsetDateTime.parse(resumed.get("expectedBy").asText());
                assertThat(Duration.between(promised, moved)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
                System.out.printf("SLA replicas: the customer saw expected-by %s, none while pending, then %s%n", promised, moved);
            }
        } finally {
            for (ServiceProcess service : all) {
                service.close();
            }
        }
    }

    private static JsonNode awaitStep(SseClient stream, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            SseClient.Event event = stream.next(Duration.ofSeconds(1));
            if (event != null && event.data() != null && !event.data().isBlank()) {
                JsonNode step = JSON.readTree(event.data());
                if (status.equals(step.path("status").asText())) {
                    return step;
                }
            }
        }
        throw new AssertionError("no " + status + " step on the customer's stream within 20 s");
    }

    private static long lagMillis(ConsumerRecord<String, String> record) {
        try {
            JsonNode body = JSON.readTree(CloudEventRecords.fromRecord(record).data());
            return Duration.between(OffsetDateTime.parse(body.at("/slaStage/dueAt").asText()),
                    OffsetDateTime.parse(body.get("eventTime").asText())).toMillis();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<ConsumerRecord<String, String>> stages(java.util.Collection<String> ticketIds, String metric,
            int expected, Duration wait) {
        return KafkaTestSupport.readMatching(Topics.TICKET_EVENTS, r -> ticketIds.contains(r.key())
                && r.value().contains("\"slaStage\"") && r.value().contains("\"metric\":\"" + metric + "\""), expected, wait);
    }

    private static Map<String, Integer> countByTicketAndAction(List<ConsumerRecord<String, String>> records) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode body = JSON.readTree(CloudEventRecords.fromRecord(record).data());
            counts.merge(record.key() + "/" + body.at("/slaStage/action").asText(), 1, Integer::sum);
        }
        // and a few more seconds: a second firing would show up here
        Thread.sleep(3_000);
        return counts;
    }

    private static void patch(ServiceProcess replica, String agent, String ticketId, String body) {
        given().auth().oauth2(agent).baseUri(replica.baseUrl()).contentType("application/merge-patch+json").body(body)
                .when().patch("/tmf-api/troubleTicket/v5/troubleTicket/" + ticketId).then().statusCode(200);
    }

    private String submit(String gateway, String token, String type, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestType\":\"" + type
                        + "\",\"description\":\"No signal at home since this morning\"}")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher id = REQUEST_ID.matcher(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private static Map<String, String> awaitTickets(List<String> requestIds) {
        Map<String, String> tickets = new HashMap<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection db = db(); PreparedStatement query = db.prepareStatement(
                    "SELECT request_id::text, id FROM trouble_ticket WHERE request_id = ANY (?::uuid[])")) {
                query.setArray(1, db.createArrayOf("text", requestIds.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        tickets.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            return tickets.size() == requestIds.size();
        });
        return tickets;
    }

    private static List<Instant> openedAt(java.util.Collection<String> ticketIds) throws Exception {
        List<Instant> opened = new ArrayList<>();
        try (Connection db = db(); PreparedStatement query = db.prepareStatement(
                "SELECT creation_date FROM trouble_ticket WHERE id = ANY (?)")) {
            query.setArray(1, db.createArrayOf("text", ticketIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    opened.add(rows.getTimestamp(1).toInstant());
                }
            }
        }
        return opened;
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432")
                + "/" + ScaleDeployment.TICKET_DB, "postgres", "postgres");
    }
}
