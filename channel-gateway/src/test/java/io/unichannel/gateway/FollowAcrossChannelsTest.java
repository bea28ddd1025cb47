package io.unichannel.gateway;

import io.unichannel.common.testing.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.testing.SseClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Submit once, follow everywhere, on the real platform parts: this gateway, the real
 * ticket-service (its packaged jar, as a process), Kafka, PostgreSQL and Keycloak. A customer
 * submits on the app; the same customer on the web follows the request live while an agent works it.
 */
@QuarkusTest
class FollowAcrossChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAULT = "{\"requestType\":\"faultRepair\",\"description\":\"Broadband drops every evening\","
            + "\"category\":\"broadbandFault\",\"urgency\":\"high\"}";

    static ServiceProcess ticketService;
    static TestUser customer;
    static String appToken;
    static String webToken;
    static String otherCustomerToken;
    static String agentToken;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeAll
    static void startPlatform() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ticketService = ServiceProcess.ticketService().start();
        customer = KeycloakTestSupport.createUser("customer");
        appToken = KeycloakTestSupport.passwordToken("channel-app", customer);
        webToken = KeycloakTestSupport.passwordToken("channel-web", customer);
        otherCustomerToken = KeycloakTestSupport.passwordToken("channel-web", KeycloakTestSupport.createUser("customer"));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    @AfterAll
    static void stopPlatform() {
        if (ticketService != null) {
            ticketService.close();
        }
    }

    @Test
    void aRequestSubmittedOnTheAppIsFollowedLiveOnTheWebAsAnAgentWorksIt() throws Exception {
        String requestId = submit(appToken, FAULT, null);

        try (SseClient web = SseClient.open(uri("/api/v1/requests/" + requestId + "/events"), webToken, null)) {
            assertThat(web.status()).isEqualTo(200);
            assertThat(nextStep(web).get("status").asText()).isEqualTo("submitted");
            JsonNode created = nextStep(web);
            assertThat(created.get("eventType").asText()).isEqualTo("TroubleTicketCreateEvent");
            assertThat(created.get("status").asText()).isEqualTo("acknowledged");
            String ticketId = created.get("ticketId").asText();

            List<String> seen = new ArrayList<>();
            for (String status : List.of("inProgress", "resolved", "closed")) {
                agentMoves(ticketId, status);
                JsonNode step = nextStep(web);
                seen.add(step.get("status").asText());
            }
            assertThat(seen).containsExactly("inProgress", "resolved", "closed");
            assertThat(web.next(Duration.ofSeconds(5))).as("the stream ends after the final status").isNull();
            assertThat(web.ended()).isTrue();
        }

        // The live stream reads Kafka directly; the stored view catches up a moment later.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(webToken).when().get("/api/v1/requests/" + requestId).then().statusCode(200)
                        .body("status", equalTo("closed")).body("channel", equalTo("app"))
                        .body("progress.status", equalTo(List.of("submitted", "acknowledged", "inProgress", "resolved", "closed"))));
    }

    /**
     * Any number of followers of one request and of the customer's feed, on any channels, each see
     * every step, the final one included. On the main of 2026-11-22 the web feed never received
     * "closed" once the APP's request stream had ended on it.
     */
    @Test
    void everyFollowerOfARequestAndOfTheFeedSeesEveryStepUpToClosed() throws Exception {
        String requestId = submit(appToken, FAULT, null);
        List<SseClient> requestStreams = new ArrayList<>();
        List<SseClient> feeds = new ArrayList<>();
        try {
            for (String token : List.of(appToken, webToken, appToken)) {
                requestStreams.add(SseClient.open(uri("/api/v1/requests/" + requestId + "/events"), token, null));
            }
            for (String token : List.of(webToken, appToken)) {
                feeds.add(SseClient.open(uri("/api/v1/customers/me/events"), token, null));
            }
            String ticketId = null;
            for (SseClient stream : requestStreams) {
                assertThat(nextStep(stream).get("status").asText()).isEqualTo("submitted");
                ticketId = nextStep(stream).get("ticketId").asText();
            }
            for (String status : List.of("inProgress", "resolved", "closed")) {
                agentMoves(ticketId, status);
            }
            for (SseClient stream : requestStreams) {
                List<String> statuses = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    statuses.add(nextStep(stream).get("status").asText());
                }
                assertThat(statuses).containsExactly("inProgress", "resolved", "closed");
                assertThat(stream.next(Duration.ofSeconds(5))).isNull();
            }
            for (SseClient feed : feeds) {
                List<String> statuses = new ArrayList<>();
                while (!statuses.contains("closed")) {
                    JsonNode step = nextStep(feed);
                    if (requestId.equals(step.get("requestId").asText())) {
                        statuses.add(step.get("status").asText());
                    }
                }
                assertThat(statuses).containsSubsequence("submitted", "acknowledged", "inProgress", "resolved", "closed");
                assertThat(statuses).doesNotHaveDuplicates();
            }
        } finally {
            requestStreams.forEach(SseClient::close);
            feeds.forEach(SseClient::close);
        }
    }

    @Test
    void anotherCustomerCannotSeeTheRequest() {
        String requestId = submit(appToken, FAULT, null);

        given().auth().oauth2(otherCustomerToken).when().get("/api/v1/requests/" + requestId).then()
                .statusCode(404).contentType("application/problem+json");
        try (SseClient stranger = SseClient.open(uri("/api/v1/requests/" + requestId + "/events"), otherCustomerToken,
                null)) {
            assertThat(stranger.status()).isEqualTo(404);
        }
    }

    @Test
    void theCustomerStreamShowsEveryRequestFromEveryChannel() throws Exception {
        try (SseClient feed = SseClient.open(uri("/api/v1/customers/me/events"), webToken, null)) {
            String fromApp = submit(appToken, FAULT, null);
            String fromWeb = submit(webToken, "{\"requestType\":\"consultation\",\"description\":\"Roaming prices?\"}", null);
            // The feed starts with this customer's earlier requests; wait for the two new ones to be created.
            List<String> created = new ArrayList<>();
            while (!created.containsAll(List.of(fromApp, fromWeb))) {
                JsonNode step = nextStep(feed);
                if ("TroubleTicketCreateEvent".equals(step.get("eventType").asText())) {
                    created.add(step.get("requestId").asText());
                }
            }
            assertThat(created).containsOnlyOnce(fromApp, fromWeb);
        }
    }

    @Test
    void aReconnectingClientResumesAfterTheLastEventItSaw() throws Exception {
        String requestId = submit(appToken, FAULT, null);
        String ticketId;
        try (SseClient first = SseClient.open(uri("/api/v1/requests/" + requestId + "/events"), webToken, null)) {
            nextStep(first);
            ticketId = nextStep(first).get("ticketId").asText();
        }
        agentMoves(ticketId, "inProgress");
        agentMoves(ticketId, "resolved");

        try (SseClient resumed = SseClient.open(uri("/api/v1/requests/" + requestId + "/events"), webToken, "1")) {
            SseClient.Event step = resumed.next(Duration.ofSeconds(10));
            assertThat(step.id()).isEqualTo("2");
            assertThat(JSON.readTree(step.data()).get("status").asText()).isEqualTo("inProgress");
            assertThat(resumed.next(Duration.ofSeconds(10)).id()).isEqualTo("3");
        }
    }

    @Test
    void retryingWithTheSameIdempotencyKeyGivesOneRequestOneTicketOneCreateEvent() {
        String key = "app-retry-" + UUID.randomUUID();
        String first = submit(appToken, FAULT, key);
        String second = submit(appToken, FAULT, key);
        assertThat(second).isEqualTo(first);

        try (SseClient web = SseClient.open(uri("/api/v1/requests/" + first + "/events"), webToken, null)) {
            nextStep(web);
            assertThat(nextStep(web).get("eventType").asText()).isEqualTo("TroubleTicketCreateEvent");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<ConsumerRecord<String, String>> creates = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> r.value().contains("\"correlationId\":\"" + first + "\"")
                        && r.value().contains("TroubleTicketCreateEvent"), 2, Duration.ofSeconds(5));
        assertThat(creates).hasSize(1);
        EventSchemaAssert.assertValidEvent(creates.get(0));
        given().auth().oauth2(agentToken).baseUri(ticketService.baseUrl())
                .queryParam("relatedParty.id", customer.id()).when().get("/tmf-api/troubleTicket/v5/troubleTicket")
                .then().statusCode(200).body("findAll { it.externalIdentifier[0].id == '" + first + "' }.size()",
                        equalTo(1));
    }

    private String submit(String token, String body, String idempotencyKey) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post("/api/v1/requests").then().statusCode(202)
                .body("status", equalTo("submitted")).extract().path("requestId");
    }

    private void agentMoves(String ticketId, String status) {
        given().auth().oauth2(agentToken).baseUri(ticketService.baseUrl()).contentType("application/merge-patch+json")
                .body("{\"status\":\"" + status + "\",\"statusChangeReason\":\"test\"}")
                .when().patch("/tmf-api/troubleTicket/v5/troubleTicket/" + ticketId).then().statusCode(200);
    }

    private static JsonNode nextStep(SseClient client) throws Exception {
        SseClient.Event event = client.next(Duration.ofSeconds(15));
        assertThat(event).as("a progress event within 15 s").isNotNull();
        return JSON.readTree(event.data());
    }

    private URI uri(String path) {
        return URI.create(gateway.toString().replaceAll("/$", "") + path);
    }
}
