package io.unichannel.ticket.tmf;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.ticket.hub.HubSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partner on loopback subscribes to ticket events through the TMF621 hub and receives them as a
 * partner would: only what its query and entitlement select, every delivery signed, each event
 * accepted once and in the ticket's order although its endpoint failed twice, the failures in its
 * delivery log, a dead-lettered delivery sent again on request.
 */
@QuarkusTest
class HubDeliveryTest {

    private static final String API = "/tmf-api/troubleTicket/v5";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A partner's callback endpoint: verifies signatures, fails the first N calls, records what it accepted. */
    static final class Partner implements AutoCloseable {
        final HttpServer server;
        final List<JsonNode> accepted = Collections.synchronizedList(new ArrayList<>());
        final List<String> acceptedEventIds = Collections.synchronizedList(new ArrayList<>());
        /** The path each accepted event was posted to. */
        final List<String> acceptedPaths = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        volatile int failFirst;
        volatile boolean failAll;
        volatile String secret;

        Partner(int failFirst) throws IOException {
            this.failFirst = failFirst;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/tmf621/listener/", this::handle);
            server.start();
        }

        String callback() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/tmf621";
        }

        private void handle(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String header = exchange.getRequestHeaders().getFirst(HubSignature.HEADER);
            boolean signed = header != null && header.matches("t=\\d+,v1=[0-9a-f]{64}")
                    && header.equals(HubSignature.header(secret, Long.parseLong(header.substring(2, header.indexOf(','))), body));
            if (!signed) {
                badSignatures.incrementAndGet();
            }
            int call = calls.incrementAndGet();
            int status = failAll || call <= failFirst ? 500 : 204;
            if (status == 204) {
                String eventId = exchange.getRequestHeaders().getFirst("X-Hub-Event-Id");
                if (!acceptedEventIds.contains(eventId)) {
                    acceptedEventIds.add(eventId);
                    acceptedPaths.add(exchange.getRequestURI().getPath());
                    try {
                        accepted.add(JSON.readTree(body));
                    } catch (IOException e) {
                        accepted.add(JSON.createObjectNode().put("unreadable", body));
                    }
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String partnerToken;
    private static String otherPartnerToken;
    private static String agentToken;
    private static Partner partner;
    private static Partner other;

    @BeforeAll
    static void setUp() throws IOException {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        partnerToken = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(null));
        otherPartnerToken = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(null));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "conf-region"));
        partner = new Partner(2);
        other = new Partner(0);
    }

    @AfterAll
    static void tearDown() {
        if (partner != null) {
            partner.close();
            other.close();
        }
    }

    static JsonNode subscribe(String token, Partner endpoint, String query) throws IOException {
        Response created = given().auth().oauth2(token).contentType("application/json")
                .body(query == null ? Map.of("callback", endpoint.callback(), "@type", "Hub")
                        : Map.of("callback", endpoint.callback(), "query", query, "@type", "Hub"))
                .post(API + "/hub");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        JsonNode hub = JSON.readTree(created.asString());
        Tmf621Schemas.assertValid("Hub", hub);
        endpoint.secret = hub.path("secret").asText();
        return hub;
    }

    @Test
    void aPartnerReceivesWhatItAskedForSignedOnceAndInOrderDespiteFailures() throws Exception {
        JsonNode hub = subscribe(partnerToken, partner, "eventType=TroubleTicketCreateEvent,TroubleTicketStatusChangeEvent,"
                + "TroubleTicketResolvedEvent&event.troubleTicket.ticketType=faultRepair");
        subscribe(otherPartnerToken, other, null);
        String customer = "C-" + UUID.randomUUID();
        String fault = TroubleTicketConformanceTest.create(partnerToken,
                TroubleTicketConformanceTest.newTicket(customer, "faultRepair", "H-" + UUID.randomUUID()), 201).path("id").asText();
        TroubleTicketConformanceTest.create(partnerToken,
                TroubleTicketConformanceTest.newTicket(customer, "complaint", "H-" + UUID.randomUUID()), 201);
        for (String step : List.of("{\"status\":\"inProgress\"}", "{\"note\":[{\"text\":\"Engineer booked\"}]}",
                "{\"status\":\"resolved\",\"statusChangeReason\":\"ONT replaced\"}")) {
            given().auth().oauth2(agentToken).contentType("application/merge-patch+json").body(step)
                    .patch(API + "/troubleTicket/" + fault).then().statusCode(200);
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> partner.accepted.size() >= 3);
        Thread.sleep(1500);
        List<String> types = partner.accepted.stream().map(e -> e.path("eventType").asText()).toList();
        assertThat(types).containsExactly("TroubleTicketCreateEvent", "TroubleTicketStatusChangeEvent", "TroubleTicketResolvedEvent");
        // each at the listener TMF621 v5 names for it under the registered callback
        assertThat(partner.acceptedPaths).containsExactly("/tmf621/listener/troubleTicketCreateEvent",
                "/tmf621/listener/troubleTicketStatusChangeEvent", "/tmf621/listener/troubleTicketResolvedEvent");
        assertThat(partner.accepted.stream().map(e -> e.at("/event/troubleTicket/id").asText()).distinct()).containsExactly(fault);
        assertThat(partner.accepted.stream().map(e -> e.path("sequence").asInt()).toList()).isSorted();
        for (JsonNode event : partner.accepted) {
            Tmf621Schemas.assertValid(event.path("eventType").asText(), event);
        }
        assertThat(partner.badSignatures.get()).isZero();
        assertThat(partner.calls.get()).isEqualTo(5);
        // The other partner is entitled to none of these tickets.
        assertThat(other.calls.get()).isZero();

        JsonNode log = JSON.readTree(given().auth().oauth2(partnerToken).get(API + "/hub/" + hub.path("id").asText() + "/delivery").asString());
        assertThat(log).hasSize(3);
        JsonNode first = log.get(2);
        assertThat(first.path("state").asText()).isEqualTo("delivered");
        assertThat(first.path("attempts").asInt()).isEqualTo(3);
        assertThat(first.path("lastError").asText()).isEqualTo("HTTP 500");
        assertThat(given().auth().oauth2(otherPartnerToken).get(API + "/hub/" + hub.path("id").asText()).statusCode()).isEqualTo(404);
    }

    @Test
    void aDeliveryThatNeverSucceedsIsDeadLetteredAndRedeliveredOnRequest() throws Exception {
        try (Partner failing = new Partner(0)) {
            failing.failAll = true;
            String token = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(null));
            JsonNode hub = subscribe(token, failing, "eventType=TroubleTicketCreateEvent");
            String hubPath = API + "/hub/" + hub.path("id").asText();
            String ticket = TroubleTicketConformanceTest.create(token,
                    TroubleTicketConformanceTest.newTicket("C-" + UUID.randomUUID(), "consultation", "D-" + UUID.randomUUID()), 201)
                    .path("id").asText();
            JsonNode dead = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(
                    () -> JSON.readTree(given().auth().oauth2(token).queryParam("state", "dead").get(hubPath + "/delivery").asString()),
                    list -> list.size() == 1).get(0);
            assertThat(dead.path("ticketId").asText()).isEqualTo(ticket);
            assertThat(dead.path("attempts").asInt()).isEqualTo(4);
            assertThat(failing.calls.get()).isEqualTo(4);
            assertThat(KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> ticket.equals(r.key()), 1, Duration.ofSeconds(15)))
                    .isNotEmpty();

            failing.failAll = false;
            given().auth().oauth2(token).post(hubPath + "/delivery/" + dead.path("id").asLong() + "/redeliver")
                    .then().statusCode(202);
            await().atMost(Duration.ofSeconds(15)).until(() -> failing.accepted.size() == 1);
            assertThat(failing.accepted.get(0).at("/event/troubleTicket/id").asText()).isEqualTo(ticket);
            given().auth().oauth2(token).delete(hubPath).then().statusCode(204);
            given().auth().oauth2(token).get(hubPath).then().statusCode(404);
        }
    }

    @Test
    void subscriptionsAreForPartnersWithValidQueries() {
        given().auth().oauth2(agentToken).contentType("application/json").body(Map.of("callback", "https://partner.example/cb"))
                .post(API + "/hub").then().statusCode(403);
        for (String query : List.of("colour=red", "eventType", "eventType=a&eventType=b", "status=" + "x".repeat(70),
                "status=in progress")) {
            Response refused = given().auth().oauth2(partnerToken).contentType("application/json")
                    .body(Map.of("callback", "https://partner.example/cb", "query", query)).post(API + "/hub");
            assertThat(refused.statusCode()).as(query).isEqualTo(400);
        }
        for (String callback : List.of("not a url", "ftp://partner.example/cb", "https://user:pw@partner.example/cb", "/relative")) {
            assertThat(given().auth().oauth2(partnerToken).contentType("application/json").body(Map.of("callback", callback))
                    .post(API + "/hub").statusCode()).as(callback).isEqualTo(400);
        }
    }

    /**
     * Generated subscription requests (bodies that are not JSON objects, wrong types, queries and
     * callbacks drawn from a hostile alphabet, unknown and oversized fields) are answered with a
     * 4xx problem, never a 5xx, and subscribe nothing; the partner's good subscription afterwards
     * still works.
     */
    @Test
    void generatedHostileSubscriptionsAreRefusedAndSubscribeNothing() throws IOException {
        String client = KeycloakTestSupport.createPartnerClient(null);
        String token = KeycloakTestSupport.serviceAccountToken(client);
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        String alphabet = "abcxyz=&;,.<>!()[]{}\"' %:/?#@-_0123456789\u0000\u0007\n\t\u00e9\u4e2d\ud83d\ude00";
        List<String> callbacks = List.of("http://127.0.0.1:1/cb", "https://partner.example/cb", "file:///etc/passwd",
                "gopher://x", "http://[::1]:1/", "https://user:pw@partner.example/", "javascript:alert(1)", "");
        List<String> queries = List.of("eventType=TroubleTicketCreateEvent", "status=acknowledged", "region=north",
                "ticketType=complaint", "eventType=TroubleTicketCreateEvent&status=resolved");
        int created = 0;
        for (int n = 0; n < 80; n++) {
            String body;
            int shape = random.nextInt(6);
            if (shape == 0) {
                String[] raw = {"", "null", "[]", "42", "\"hub\"", "{", "{\"callback\":", "{}{}", "<hub/>"};
                body = raw[random.nextInt(raw.length)];
            } else {
                Map<String, Object> hub = new java.util.LinkedHashMap<>();
                hub.put("callback", shape == 1 ? noise(random, alphabet, 1 + random.nextInt(3000))
                        : shape == 2 ? random.nextInt() : callbacks.get(random.nextInt(callbacks.size())));
                if (random.nextBoolean()) {
                    hub.put("query", shape == 3 ? noise(random, alphabet, 1 + random.nextInt(2500))
                            : shape == 4 ? List.of(queries.get(0)) : queries.get(random.nextInt(queries.size()))
                                    + noise(random, alphabet, random.nextInt(4)));
                }
                if (random.nextInt(4) == 0) {
                    hub.put(noise(random, alphabet, 1 + random.nextInt(40)), Map.of("x", "y".repeat(random.nextInt(5000))));
                }
                body = JSON.writeValueAsString(hub);
            }
            Response response = given().auth().oauth2(token).contentType("application/json").body(body).post(API + "/hub");
            assertThat(response.statusCode()).as("seed %d: %s -> %s", seed, body, response.asString()).isLessThan(500);
            if (response.statusCode() == 201) {
                // Only a well-formed callback (the test profile allows loopback) with a valid query subscribes.
                JsonNode hub = JSON.readTree(response.asString());
                assertThat(hub.path("callback").asText()).as("seed %d", seed)
                        .isIn("http://127.0.0.1:1/cb", "https://partner.example/cb", "http://[::1]:1/");
                given().auth().oauth2(token).delete(API + "/hub/" + hub.path("id").asText()).then().statusCode(204);
                created++;
            } else {
                assertThat(response.statusCode()).as("seed %d: %s", seed, body).isBetween(400, 499);
                assertThat(response.contentType()).as("seed %d: %s", seed, body).startsWith("application/problem+json");
            }
        }
        assertThat(subscriptionsOf(client)).as("seed %d: refused requests left subscriptions behind", seed).isZero();
        assertThat(created).as("seed %d: most generated requests are refused", seed).isLessThan(40);
        Partner good = new Partner(0);
        try {
            subscribe(token, good, "eventType=TroubleTicketCreateEvent");
            assertThat(subscriptionsOf(client)).isEqualTo(1);
        } finally {
            good.close();
        }
    }

    private static String noise(java.util.Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** The partner's subscriptions, straight from the service's database. */
    private static int subscriptionsOf(String partnerClient) {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_test";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                java.sql.PreparedStatement query = db.prepareStatement("SELECT count(*) FROM hub_subscription WHERE partner = ?")) {
            query.setString(1, partnerClient);
            try (java.sql.ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
