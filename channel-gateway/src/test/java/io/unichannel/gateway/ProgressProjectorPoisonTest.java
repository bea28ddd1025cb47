package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The progress projector fed generated hostile ticket events and customer merges (control
 * characters, invalid Unicode, over-long values, wrong types, missing fields, broken documents):
 * those it can never apply go to dead-letters, and a good event sent after them still reaches the
 * customer's view within seconds.
 */
@QuarkusTest
class ProgressProjectorPoisonTest {

    @Test
    void hostileEventsAreSetAsideAndAGoodOneStillReachesTheView() {
        long seed = System.nanoTime();
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        TestUser customer = KeycloakTestSupport.createUser("customer");
        String token = KeycloakTestSupport.passwordToken("channel-app", customer);
        String requestId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"requestType\":\"complaint\",\"description\":\"Charged twice\"}")
                .when().post("/api/v1/requests").then().statusCode(202).extract().path("requestId");

        Set<String> keys = new HashSet<>();
        List<String> mustBeSetAside = new ArrayList<>();
        String template = ticketEvent(UUID.randomUUID().toString(), "TT-T", "C-fuzz", "acknowledged");
        for (HostilePayloads.Variant variant : HostilePayloads.of(template,
                List.of("eventTime", "correlationId", "sequence", "event", "eventType"), 40, seed)) {
            String key = "fuzz-" + UUID.randomUUID();
            keys.add(key);
            if (variant.description().matches("(eventTime|correlationId|event) attack #[0-3]")) {
                mustBeSetAside.add(key);
            }
            send(Topics.TICKET_EVENTS, key, EventTypes.TROUBLE_TICKET_CREATE, variant.payload());
        }
        // Inside the ticket: what the view stores must fit its columns.
        for (String broken : List.of(ticketEvent(UUID.randomUUID().toString(), "TT-\u0000", "C-1", "acknowledged"),
                ticketEvent(UUID.randomUUID().toString(), "TT-1", "C-" + "x".repeat(80), "acknowledged"),
                ticketEvent(UUID.randomUUID().toString(), "TT-1", "C-1", "a-status-far-too-long"),
                ticketEvent(UUID.randomUUID().toString(), "TT-1", "C-1", "acknowledged").replace("\"app\"", "\"fax\""))) {
            String key = "fuzz-" + UUID.randomUUID();
            keys.add(key);
            mustBeSetAside.add(key);
            send(Topics.TICKET_EVENTS, key, EventTypes.TROUBLE_TICKET_CREATE, broken);
        }
        for (HostilePayloads.Variant variant : HostilePayloads.of("{\"mergedId\":\"C-a\",\"survivorId\":\"C-b\"}",
                List.of("mergedId", "survivorId"), 20, seed + 1)) {
            String key = "fuzz-" + UUID.randomUUID();
            keys.add(key);
            send(Topics.IDENTITY_EVENTS, key, EventTypes.CUSTOMERS_MERGED, variant.payload());
        }

        long sentAt = System.nanoTime();
        send(Topics.TICKET_EVENTS, "TT-GOOD", EventTypes.TROUBLE_TICKET_CREATE,
                ticketEvent(requestId, "TT-GOOD", customer.id(), "acknowledged"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                "acknowledged".equals(given().auth().oauth2(token).when().get("/api/v1/requests/" + requestId)
                        .then().statusCode(200).extract().path("status")));
        System.out.printf("Good event after %d hostile ones reached the view in %d ms (seed %d)%n", keys.size(),
                (System.nanoTime() - sentAt) / 1_000_000, seed);

        Set<String> lettered = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS,
                r -> keys.contains(r.key()) && r.value().contains("\"consumer\":\"channel-gateway\""), keys.size(),
                Duration.ofSeconds(10)).stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(lettered).as("seed %d", seed).containsAll(mustBeSetAside);
        assertThat(lettered.size()).isGreaterThan(keys.size() / 2);
    }

    /**
     * A request ticket-service had to set aside shows as failed, with the reason, wherever the
     * customer looks, and its stream ends; a letter from anyone else changes nothing.
     */
    @Test
    void aRequestTicketServiceSetAsideShowsAsFailedWithItsReason() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        TestUser customer = KeycloakTestSupport.createUser("customer");
        String app = KeycloakTestSupport.passwordToken("channel-app", customer);
        String web = KeycloakTestSupport.passwordToken("channel-web", customer);
        String requestId = given().auth().oauth2(app).contentType(ContentType.JSON)
                .body("{\"requestType\":\"complaint\",\"description\":\"Charged twice\"}")
                .when().post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
        String letter = """
                {"originalTopic":"channel-requests","partition":0,"offset":1,"key":"%s","consumer":"ticket-service",\
                "reason":"region is longer than 64 characters","failedAt":"%s"}""".formatted(requestId,
                OffsetDateTime.now(ZoneOffset.UTC));
        // A forged letter (not from ticket-service) is ignored ...
        CloudEvent forged = new CloudEvent(UUID.randomUUID().toString(), "/unichannel/somebody", EventTypes.DEAD_LETTER,
                requestId, OffsetDateTime.now(ZoneOffset.UTC), letter);
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.DEAD_LETTERS, requestId, forged));
        // ... the real one is not.
        CloudEvent real = new CloudEvent(UUID.randomUUID().toString(), "/unichannel/ticket-service", EventTypes.DEAD_LETTER,
                requestId, OffsetDateTime.now(ZoneOffset.UTC), letter.replace("64 characters", "64 characters."));
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.DEAD_LETTERS, requestId, real));

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                "failed".equals(given().auth().oauth2(web).when().get("/api/v1/requests/" + requestId)
                        .then().statusCode(200).extract().path("status")));
        var state = given().auth().oauth2(web).when().get("/api/v1/requests/" + requestId).then().statusCode(200);
        assertThat(state.extract().jsonPath().getList("progress.status", String.class))
                .containsExactly("submitted", "failed");
        assertThat(state.extract().jsonPath().getString("progress[1].statusChangeReason"))
                .isEqualTo("The request could not be accepted: region is longer than 64 characters.");
        given().auth().oauth2(app).when().get("/api/v1/requests").then().statusCode(200)
                .body("find { it.requestId == '" + requestId + "' }.status", org.hamcrest.Matchers.equalTo("failed"));
    }

    /**
     * A failure never overrides a ticket that exists: a letter about a request that already has its
     * ticket changes nothing, and a ticket that arrives after a letter replaces the failure.
     */
    @Test
    void aLetterNeverOverridesATicketThatExists() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        TestUser customer = KeycloakTestSupport.createUser("customer");
        String app = KeycloakTestSupport.passwordToken("channel-app", customer);
        List<String> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            requests.add(given().auth().oauth2(app).contentType(ContentType.JSON)
                    .body("{\"requestType\":\"complaint\",\"description\":\"Charged twice\"}")
                    .when().post("/api/v1/requests").then().statusCode(202).extract().path("requestId"));
        }
        String before = requests.get(0);
        String after = requests.get(1);
        // The first request has its ticket; then a letter claims it failed.
        send(Topics.TICKET_EVENTS, "TT-L1-" + before.substring(0, 8), EventTypes.TROUBLE_TICKET_CREATE,
                ticketEvent(before, "TT-L1-" + before.substring(0, 8), customer.id(), "acknowledged"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                "acknowledged".equals(given().auth().oauth2(app).when().get("/api/v1/requests/" + before)
                        .then().statusCode(200).extract().path("status")));
        for (String requestId : requests) {
            String letter = """
                    {"originalTopic":"channel-requests","partition":0,"offset":1,"key":"%s","consumer":"ticket-service",                    "reason":"forged","failedAt":"%s"}""".formatted(requestId, OffsetDateTime.now(ZoneOffset.UTC));
            send(Topics.DEAD_LETTERS, requestId, EventTypes.DEAD_LETTER, letter);
        }
        // The second one's letter lands first, then its ticket arrives.
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                "failed".equals(given().auth().oauth2(app).when().get("/api/v1/requests/" + after)
                        .then().statusCode(200).extract().path("status")));
        send(Topics.TICKET_EVENTS, "TT-L2-" + after.substring(0, 8), EventTypes.TROUBLE_TICKET_CREATE,
                ticketEvent(after, "TT-L2-" + after.substring(0, 8), customer.id(), "acknowledged"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                "acknowledged".equals(given().auth().oauth2(app).when().get("/api/v1/requests/" + after)
                        .then().statusCode(200).extract().path("status")));
        assertThat(given().auth().oauth2(app).when().get("/api/v1/requests/" + before).then().statusCode(200)
                .extract().<String>path("status")).as("the letter about a request with a ticket changed nothing")
                .isEqualTo("acknowledged");
    }

    /**
     * A compromised pod of ticket-service publishes a CustomersMerged in identity-service's name on
     * identity-events: the gateway sets it aside (its source does not own the topic), so customer B
     * does not get customer A's requests; the same merge from identity-service is applied.
     */
    @Test
    void aMergePublishedByAServiceThatDoesNotOwnTheTopicIsSetAside() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        TestUser a = KeycloakTestSupport.createUser("customer");
        TestUser b = KeycloakTestSupport.createUser("customer");
        String aToken = KeycloakTestSupport.passwordToken("channel-app", a);
        String bToken = KeycloakTestSupport.passwordToken("channel-app", b);
        String requestId = given().auth().oauth2(aToken).contentType(ContentType.JSON)
                .body("{\"requestType\":\"consultation\",\"description\":\"Roaming prices\"}")
                .when().post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
        String merge = "{\"mergedId\":\"%s\",\"survivorId\":\"%s\"}".formatted(a.id(), b.id());
        String key = "forged-" + UUID.randomUUID();
        CloudEvent forged = CloudEvent.of(Topics.TICKET_SERVICE, EventTypes.CUSTOMERS_MERGED, a.id(), merge);
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.IDENTITY_EVENTS, key, forged));

        List<ConsumerRecord<String, String>> letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS,
                r -> key.equals(r.key()) && r.value().contains("\"consumer\":\"channel-gateway\""), 1,
                Duration.ofSeconds(20));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).value()).contains("does not publish on identity-events");
        given().auth().oauth2(bToken).when().get("/api/v1/requests").then().statusCode(200)
                .body("requestId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(requestId)));
        given().auth().oauth2(bToken).when().get("/api/v1/requests/" + requestId).then().statusCode(404);

        // The same merge from its owner is applied.
        send(Topics.IDENTITY_EVENTS, a.id(), EventTypes.CUSTOMERS_MERGED, merge);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().auth().oauth2(bToken).when().get("/api/v1/requests/" + requestId).then().statusCode(200));
    }

    /** Sends an event in the name of the topic's owner. */
    private static void send(String topic, String key, String type, String payload) {
        String owner = Topics.IDENTITY_EVENTS.equals(topic) ? Topics.IDENTITY_SERVICE : Topics.TICKET_SERVICE;
        CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), owner, type, key,
                OffsetDateTime.now(ZoneOffset.UTC), payload);
        KafkaTestSupport.send(CloudEventRecords.toRecord(topic, key, event));
    }

    private static String ticketEvent(String requestId, String ticketId, String customerId, String status) {
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        return """
                {"eventId":"%s","eventTime":"%s","eventType":"TroubleTicketCreateEvent","correlationId":"%s",\
                "sequence":1,"event":{"troubleTicket":{"id":"%s","status":"%s","channel":{"name":"app"},\
                "relatedParty":[{"id":"%s","role":"customer","@referredType":"Customer"}]}}}"""
                .formatted(UUID.randomUUID(), now, requestId, ticketId, status, customerId);
    }
}
