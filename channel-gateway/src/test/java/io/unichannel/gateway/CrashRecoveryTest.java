package io.unichannel.gateway;

import io.unichannel.common.testing.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost, nothing doubled: ticket-service is killed with SIGKILL in the middle of a burst of
 * 1,000 submissions and started again. Every accepted request must end with exactly one ticket
 * and exactly one TroubleTicketCreateEvent.
 */
@QuarkusTest
class CrashRecoveryTest {

    private static final int BURST = 1_000;
    private static final int KILL_AFTER = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killingTicketServiceMidBurstLosesNothingAndDuplicatesNothing() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        TestUser customer = KeycloakTestSupport.createUser("customer");
        String token = KeycloakTestSupport.passwordToken("channel-app", customer);
        String agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<Integer, String> accepted = new ConcurrentHashMap<>();

        try (ServiceProcess ticketService = ServiceProcess.ticketService().start()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            for (int i = 0; i < BURST; i++) {
                int n = i;
                pool.execute(() -> accepted.put(n, submitWithRetries(token, "burst-" + run + "-" + n)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= KILL_AFTER);
            ticketService.kill();
            int acceptedAtKill = accepted.size();
            Thread.sleep(1_000);
            ticketService.start();
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            System.out.printf("Crash test: SIGKILL after %d of %d accepted%n", acceptedAtKill, BURST);

            Set<String> requestIds = new HashSet<>(accepted.values());
            assertThat(requestIds).hasSize(BURST);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> given()
                    .auth().oauth2(agentToken).baseUri(ticketService.baseUrl())
                    .queryParam("relatedParty.id", customer.id()).queryParam("limit", 1)
                    .when().get("/tmf-api/troubleTicket/v5/troubleTicket")
                    .then().statusCode(200).extract().header("X-Total-Count"), total -> Integer.parseInt(total) >= BURST);
            Thread.sleep(2_000);
            String total = given().auth().oauth2(agentToken).baseUri(ticketService.baseUrl())
                    .queryParam("relatedParty.id", customer.id()).queryParam("limit", 1)
                    .when().get("/tmf-api/troubleTicket/v5/troubleTicket").then().extract().header("X-Total-Count");
            assertThat(Integer.parseInt(total)).as("tickets for the burst's customer").isEqualTo(BURST);

            List<ConsumerRecord<String, String>> creates = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                    r -> r.value() != null && r.value().contains("TroubleTicketCreateEvent")
                            && r.value().contains("\"id\":\"" + customer.id() + "\""),
                    Integer.MAX_VALUE, Duration.ofSeconds(5));
            Map<String, Set<String>> eventIdsByRequest = new HashMap<>();
            Map<String, Set<String>> ticketIdsByRequest = new HashMap<>();
            for (ConsumerRecord<String, String> record : creates) {
                JsonNode body = JSON.readTree(record.value());
                String requestId = body.get("correlationId").asText();
                eventIdsByRequest.computeIfAbsent(requestId, k -> new HashSet<>())
                        .add(CloudEventRecords.text(record.headers(), CloudEventRecords.ID));
                ticketIdsByRequest.computeIfAbsent(requestId, k -> new HashSet<>()).add(record.key());
            }
            System.out.printf("Crash test: %d create records on ticket-events for %d requests (%d replayed copies)%n",
                    creates.size(), eventIdsByRequest.size(), creates.size() - eventIdsByRequest.size());
            assertThat(eventIdsByRequest.keySet()).containsExactlyInAnyOrderElementsOf(requestIds);
            assertThat(eventIdsByRequest.values()).as("distinct create events per request").allMatch(ids -> ids.size() == 1);
            assertThat(ticketIdsByRequest.values()).as("tickets per request").allMatch(ids -> ids.size() == 1);
        }
    }

    /** A channel front end retries a failed submission with the same Idempotency-Key. */
    private static String submitWithRetries(String token, String key) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var response = given().auth().oauth2(token).contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body("{\"requestType\":\"complaint\",\"description\":\"Charged twice for roaming\"}")
                    .when().post("/api/v1/requests");
            if (response.statusCode() == 202) {
                return response.path("requestId");
            }
        }
        throw new AssertionError("submission " + key + " was never accepted");
    }
}
