package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DurableProducers;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.PlatformInfra;
import io.unichannel.common.testing.ServiceProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two analytics-service replicas count a stream of 3,000 opened tickets; one is SIGKILLed in the
 * middle of it and started again. When the stream has been counted, both replicas answer the
 * same exact numbers (each adding up its own part and the other's): every ticket counted once,
 * none twice, none lost.
 */
class AnalyticsCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TICKETS = 3_000;

    @Test
    void killingAReplicaMidStreamCountsEveryEventExactlyOnce() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String region = "crash-" + run;
        String application = "analytics-crash-" + run;
        // This run's application starts at the topics' current end: it counts only what the test sends.
        KafkaTestSupport.startGroupAtEnd(application, List.of(Topics.TICKET_EVENTS, Topics.SURVEY_EVENTS, Topics.INTERACTION_EVENTS));
        Map<String, String> a = Map.of("ANALYTICS_APPLICATION_ID", application, "DB_NAME", "analytics_test",
                "ANALYTICS_STATE_DIR", Files.createTempDirectory("analytics-a").toString());
        Map<String, String> b = Map.of("ANALYTICS_APPLICATION_ID", application, "DB_NAME", "analytics_test",
                "ANALYTICS_STATE_DIR", Files.createTempDirectory("analytics-b").toString());
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        ServiceProcess first = ServiceProcess.of("analytics-service", a);
        try (ServiceProcess second = ServiceProcess.of("analytics-service", b);
                var producer = DurableProducers.create(PlatformInfra.kafkaBootstrapServers(), "analytics-crash-test")) {
            ServiceProcess.startAll(List.of(first, second));
            int complaints = 0;
            Instant opened = Instant.now().minus(Duration.ofHours(1));
            ServiceProcess restarted = null;
            try {
                for (int i = 0; i < TICKETS; i++) {
                    boolean complaint = i % 5 == 0;
                    complaints += complaint ? 1 : 0;
                    open(producer, "TT-CR-" + run + "-" + i, complaint ? "complaint" : "faultRepair", region, opened.plusMillis(i));
                    if (i == TICKETS / 3) {
                        first.kill();
                        System.out.printf("SIGKILLed analytics-service pid %d after %d of %d events%n", first.pid(), i + 1, TICKETS);
                    }
                    if (i == 2 * TICKETS / 3) {
                        restarted = ServiceProcess.of("analytics-service", a).start();
                    }
                }
                int expectedComplaints = complaints;
                for (ServiceProcess replica : List.of(second, restarted)) {
                    Awaitility.await("counts on " + replica.baseUrl()).atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                                List<Map<String, Object>> rows = given().baseUri(replica.baseUrl()).auth().oauth2(ops)
                                        .queryParam("kpi", "complaintRate,backlog").queryParam("grain", "day")
                                        .queryParam("region", region).queryParam("from", opened.minus(Duration.ofDays(1)).toString())
                                        .queryParam("to", Instant.now().plus(Duration.ofDays(1)).toString())
                                        .get("/api/v1/kpis").then().statusCode(200).extract().jsonPath().getList("rows");
                                long opens = 0;
                                long complained = 0;
                                double backlog = 0;
                                for (Map<String, Object> row : rows) {
                                    if (row.get("kpi").equals("complaintRate")) {
                                        opens += ((Number) row.get("denominator")).longValue();
                                        complained += ((Number) row.get("numerator")).longValue();
                                    } else {
                                        backlog += ((Number) row.get("sum")).doubleValue();
                                    }
                                }
                                assertThat(opens).as("tickets counted").isEqualTo(TICKETS);
                                assertThat(complained).as("complaints counted").isEqualTo(expectedComplaints);
                                assertThat(backlog).as("backlog").isEqualTo(TICKETS);
                            });
                }
                // Still exact a moment later: nothing replayed after the restart adds to it.
                Thread.sleep(3_000);
                List<Map<String, Object>> rows = given().baseUri(second.baseUrl()).auth().oauth2(ops).queryParam("kpi", "complaintRate")
                        .queryParam("grain", "month").queryParam("region", region).get("/api/v1/kpis").then().statusCode(200)
                        .extract().jsonPath().getList("rows");
                assertThat(rows.stream().mapToLong(r -> ((Number) r.get("denominator")).longValue()).sum()).isEqualTo(TICKETS);
                MetricsCatalogue.assertExportedBy("analytics-service", second.baseUrl());
            } finally {
                if (restarted != null) {
                    restarted.close();
                }
            }
        } finally {
            first.close();
        }
    }

    private static void open(org.apache.kafka.clients.producer.Producer<String, String> producer, String id, String type, String region, Instant at) throws Exception {
        Map<String, Object> ticket = Map.of("id", id, "ticketType", type, "description", "crash test", "severity", "minor",
                "status", "acknowledged", "statusChangeHistory", List.of(Map.of("status", "acknowledged", "changeDate", at.toString())),
                "creationDate", at.toString(), "channel", Map.of("name", "app"), "region", region,
                "relatedParty", List.of(Map.of("id", "C-" + id, "role", "customer", "@referredType", "Customer")));
        Map<String, Object> event = Map.of("eventId", UUID.randomUUID().toString(), "eventTime", at.toString(),
                "eventType", EventTypes.TROUBLE_TICKET_CREATE, "correlationId", UUID.randomUUID().toString(), "sequence", 1,
                "event", Map.of("troubleTicket", ticket));
        producer.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, id,
                CloudEvent.of(Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_CREATE, id, JSON.writeValueAsString(event))))
                .get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
}
