package io.unichannel.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.unichannel.analytics.service.PainPoints;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The pain-point list's PDCA cycle on a month of its own (far in the future, so nothing else in
 * the shared test database counts in it and the service's own beat, which looks at this month and
 * the last, leaves it alone; the test drives the beat's steps with that month's clock): complaints,
 * breaches and low survey answers land on their process node and department, counted once however
 * often they are delivered; the nodes over the threshold open as pain points for their departments
 * (once, however often the beat runs); the department answers with a plan and a pilot; a department
 * that does not is warned once; the next month's re-surveys verify the one that improved.
 */
@QuarkusTest
class PainPointTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    PainPoints painPoints;

    @Test
    void signalsOpenPainPointsThatTheirDepartmentsAnswerAndTheNextMonthVerifies() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random();
        YearMonth month = YearMonth.of(2200 + random.nextInt(700), 1 + random.nextInt(12));
        OffsetDateTime mid = month.atDay(15).atTime(10, 0).atZone(ZONE).toOffsetDateTime();
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String fieldStaff = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser(
                Map.of("department", List.of("field-maintenance"), "region", List.of("pp-" + run)), "agent"));
        String agentWithoutDepartment = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("agent"));

        // The month: 3 billing complaints (one delivered twice), 2 repair breaches, 4 fault-repair surveys of
        // which 2 rate the service 1 of 5, and a record no one can read.
        for (int i = 0; i < 3; i++) {
            var complaint = ticketEvent(EventTypes.TROUBLE_TICKET_CREATE, "TT-" + run + "-c" + i, "complaint", "billQuestion",
                    mid.plusHours(i).toInstant(), null);
            KafkaTestSupport.send(complaint);
            if (i == 0) {
                KafkaTestSupport.send(complaint);
            }
        }
        AnalyticsEvents.raw(Topics.TICKET_EVENTS, EventTypes.TROUBLE_TICKET_CREATE, "TT-" + run + "-bad", "{\"eventType\":");
        for (int i = 0; i < 2; i++) {
            KafkaTestSupport.send(ticketEvent(EventTypes.TROUBLE_TICKET_SLA_BREACH, "TT-" + run + "-b" + i, "faultRepair", null,
                    mid.plusHours(5 + i).toInstant(), "resolution"));
        }
        for (int i = 0; i < 4; i++) {
            survey("TT-" + run + "-s" + i, i < 2 ? 1 : 5, mid.plusHours(8 + i).toInstant());
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Response list = given().auth().oauth2(ops).queryParam("period", month.toString()).get("/api/v1/pain-points");
            list.then().statusCode(200);
            assertThat(list.jsonPath().getList("rows.node")).as("heaviest first: billing 3x3, repair 2x2+2")
                    .containsExactly("billing", "repair");
            assertThat(list.jsonPath().getMap("rows[0]")).containsEntry("department", "billing-centre")
                    .containsEntry("complaints", 3).containsEntry("weight", 9);
            assertThat(list.jsonPath().getMap("rows[1]")).containsEntry("department", "field-maintenance")
                    .containsEntry("breaches", 2).containsEntry("lowScores", 2).containsEntry("surveyed", 4)
                    .containsEntry("lowScoreRate", 0.5f);
        });
        given().auth().oauth2(ops).queryParam("period", month.toString()).queryParam("node", "repair")
                .queryParam("department", "field-maintenance").get("/api/v1/pain-points/tickets").then().statusCode(200)
                .body("ticketId", hasItems("TT-" + run + "-b0", "TT-" + run + "-b1", "TT-" + run + "-s0", "TT-" + run + "-s1"))
                .body("ticketId", not(hasItem("TT-" + run + "-s2")));
        String csv = given().auth().oauth2(ops).queryParam("period", month.toString()).queryParam("format", "csv")
                .get("/api/v1/pain-points").then().statusCode(200).extract().asString();
        assertThat(csv).startsWith("period,node,department,complaints").contains(month + ",billing,billing-centre,3,0,0,0,,9");

        // The beat opens both (billing 3 signals, repair 4, threshold 3), once however often it runs.
        assertThat(painPoints.openDue(mid.plusDays(1)).await().atMost(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(painPoints.openDue(mid.plusDays(1)).await().atMost(Duration.ofSeconds(10))).as("already open").isZero();
        Response list = given().auth().oauth2(ops).queryParam("period", month.toString()).get("/api/v1/pain-points");
        String billing = list.jsonPath().getString("rows[0].painPoint.id");
        String repair = list.jsonPath().getString("rows[1].painPoint.id");
        assertThat(list.jsonPath().getString("rows[1].painPoint.status")).isEqualTo("open");
        assertThat(OffsetDateTime.parse(list.jsonPath().getString("rows[1].painPoint.planDue")).toInstant())
                .as("plan due 3 days after opening").isEqualTo(mid.plusDays(4).toInstant());
        assertThat(OffsetDateTime.parse(list.jsonPath().getString("rows[1].painPoint.pilotDue")).toInstant())
                .as("pilot due 7 days after opening").isEqualTo(mid.plusDays(8).toInstant());
        given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("period", month.toString(), "node", "repair", "department", "field-maintenance"))
                .post("/api/v1/pain-points").then().statusCode(409);
        given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("period", month.toString(), "node", "dispatch", "department", "network-operations-centre"))
                .post("/api/v1/pain-points").then().statusCode(422);
        List<JsonNode> opened = changes(billing, repair, "opened", 2);
        assertThat(opened).extracting(e -> e.path("notify").toString()).contains("[\"department:field-maintenance\",\"ops\"]");

        // The department sees and answers its own pain point, not another's.
        given().auth().oauth2(fieldStaff).queryParam("period", month.toString()).get("/api/v1/pain-points").then()
                .statusCode(200).body("rows.department", equalTo(List.of("field-maintenance")));
        given().auth().oauth2(fieldStaff).queryParam("period", month.toString()).queryParam("department", "billing-centre")
                .get("/api/v1/pain-points").then().statusCode(403);
        given().auth().oauth2(agentWithoutDepartment).get("/api/v1/pain-points").then().statusCode(403);
        given().auth().oauth2(fieldStaff).contentType(ContentType.JSON).body(Map.of("text", "Not ours"))
                .put("/api/v1/pain-points/" + billing + "/plan").then().statusCode(403);
        given().auth().oauth2(fieldStaff).contentType(ContentType.JSON).body(Map.of("text", "Pilot first?"))
                .put("/api/v1/pain-points/" + repair + "/pilot").then().statusCode(409);
        given().auth().oauth2(fieldStaff).contentType(ContentType.JSON)
                .body(Map.of("text", "Engineers confirm the visit window by SMS the evening before"))
                .put("/api/v1/pain-points/" + repair + "/plan").then().statusCode(200).body("status", equalTo("planned"));
        given().auth().oauth2(fieldStaff).contentType(ContentType.JSON).body(Map.of("text", "Piloted in gz-haizhu"))
                .put("/api/v1/pain-points/" + repair + "/pilot").then().statusCode(200).body("status", equalTo("piloting"))
                .body("planOverdue", equalTo(false));
        changes(billing, repair, "piloting", 1);

        // A week later billing-centre has given neither: warned once for each; field maintenance is not.
        assertThat(painPoints.warnOverdue(mid.plusDays(9)).await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(2);
        painPoints.warnOverdue(mid.plusDays(10)).await().atMost(Duration.ofSeconds(10));
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + billing).then().statusCode(200)
                .body("planOverdue", equalTo(true)).body("pilotOverdue", equalTo(true));
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + repair).then().statusCode(200)
                .body("planOverdue", equalTo(false)).body("pilotOverdue", equalTo(false));
        assertThat(changes(billing, repair, "planOverdue", 2, Duration.ofSeconds(3))).as("warned once")
                .extracting(e -> e.path("painPointId").asText()).containsExactly(billing);

        // Next month's re-surveys: 4 fault-repair answers, none low; one breach. Repair improved; billing has nothing.
        OffsetDateTime next = mid.plusMonths(1);
        for (int i = 0; i < 4; i++) {
            survey("TT-" + run + "-n" + i, 5, next.plusHours(i).toInstant());
        }
        KafkaTestSupport.send(ticketEvent(EventTypes.TROUBLE_TICKET_SLA_BREACH, "TT-" + run + "-nb", "faultRepair", null,
                next.toInstant(), "resolution"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(ops)
                .queryParam("period", month.plusMonths(1).toString()).get("/api/v1/pain-points").then().statusCode(200)
                .body("rows.surveyed", hasItem(4)).body("rows.breaches", hasItem(1)));
        // The next month has not ended yet: nothing to verify by.
        painPoints.verifyDue(mid.plusMonths(1).plusDays(1)).await().atMost(Duration.ofSeconds(30));
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + repair).then().statusCode(200)
                .body("status", equalTo("piloting"));
        assertThat(painPoints.verifyDue(mid.plusMonths(2)).await().atMost(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(2);
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + repair).then().statusCode(200)
                .body("status", equalTo("verified")).body("verification.result", equalTo("improved"))
                .body("verification.baseline.lowScoreRate", equalTo(0.5f)).body("verification.next.lowScoreRate", equalTo(0.0f));
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + billing).then().statusCode(200)
                .body("status", equalTo("unverified")).body("verification.result", equalTo("insufficientData"));
        changes(billing, repair, "verified", 2);

        // Hostile answers and openings (generated): all 4xx, nothing changes.
        long seed = System.nanoTime();
        for (var variant : HostilePayloads.of("{\"text\":\"A plan\"}", List.of("text"), 12, seed)) {
            int status = given().auth().oauth2(fieldStaff).contentType(ContentType.JSON).body(variant.payload())
                    .put("/api/v1/pain-points/" + repair + "/plan").then().extract().statusCode();
            assertThat(status).as("seed %d: %s", seed, variant.description()).isBetween(400, 499);
        }
        for (var variant : HostilePayloads.of("{\"period\":\"" + month + "\",\"node\":\"repair\",\"department\":\"field-maintenance\"}",
                List.of("period", "node", "department"), 16, seed)) {
            int status = given().auth().oauth2(ops).contentType(ContentType.JSON).body(variant.payload())
                    .post("/api/v1/pain-points").then().extract().statusCode();
            assertThat(status).as("seed %d: %s", seed, variant.description()).isBetween(400, 499);
        }
        for (String period : List.of("2026-13", "26-11", "2026-1", "x".repeat(300), "2026-11'--")) {
            given().auth().oauth2(ops).queryParam("period", period).get("/api/v1/pain-points").then().statusCode(400);
        }
        given().auth().oauth2(ops).get("/api/v1/pain-points/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + repair).then().statusCode(200)
                .body("plan", equalTo("Engineers confirm the visit window by SMS the evening before"))
                .body("status", equalTo("verified"));
        assertThat(given().auth().oauth2(ops).queryParam("period", month.toString()).get("/api/v1/pain-points")
                .jsonPath().getList("rows")).hasSize(2);

        // Hostile survey answers (generated) are set aside; a good one sent after them still counts.
        YearMonth later = month.plusMonths(5);
        Instant laterAt = later.atDay(3).atTime(9, 0).atZone(ZONE).toInstant();
        String template = AnalyticsEvents.JSON.writeValueAsString(surveyAnswer("TT-" + run + "-h", "punctuality", 1, laterAt));
        for (var variant : HostilePayloads.of(template, List.of("ticketId", "answeredAt", "answers", "serviceType"), 20, seed)) {
            KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.SURVEY_EVENTS, "h-" + run, CloudEvent.of(Topics.SURVEY_SERVICE,
                    EventTypes.SURVEY_RESPONSE_RECEIVED, "h-" + run, variant.payload())));
        }
        AnalyticsEvents.send(Topics.SURVEY_EVENTS, Topics.SURVEY_SERVICE, EventTypes.SURVEY_RESPONSE_RECEIVED, "TT-" + run + "-good",
                surveyAnswer("TT-" + run + "-good", "punctuality", 1, laterAt));
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(ops)
                .queryParam("period", later.toString()).queryParam("node", "dispatch").queryParam("department", "network-operations-centre")
                .get("/api/v1/pain-points/tickets").then().statusCode(200).body("ticketId", hasItem("TT-" + run + "-good")));

        // A manager opens one by hand and, finding it a one-off, dismisses it with the reason: no warning follows.
        String dispatch = given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("period", later.toString(), "node", "dispatch", "department", "network-operations-centre"))
                .post("/api/v1/pain-points").then().statusCode(201).body("status", equalTo("open"))
                .body("openedBy", not(equalTo("threshold"))).extract().path("id");
        given().auth().oauth2(fieldStaff).contentType(ContentType.JSON).body(Map.of("text", "Not ours to close"))
                .post("/api/v1/pain-points/" + dispatch + "/dismissal").then().statusCode(403);
        given().auth().oauth2(ops).contentType(ContentType.JSON).body(Map.of("text", "One engineer's van broke down that day"))
                .post("/api/v1/pain-points/" + dispatch + "/dismissal").then().statusCode(200)
                .body("status", equalTo("dismissed")).body("dismissal", equalTo("One engineer's van broke down that day"));
        given().auth().oauth2(ops).contentType(ContentType.JSON).body(Map.of("text", "Again"))
                .post("/api/v1/pain-points/" + dispatch + "/dismissal").then().statusCode(409);
        given().auth().oauth2(ops).contentType(ContentType.JSON).body(Map.of("text", "A plan after all"))
                .put("/api/v1/pain-points/" + dispatch + "/plan").then().statusCode(409);
        painPoints.warnOverdue(OffsetDateTime.now().plusDays(30)).await().atMost(Duration.ofSeconds(10));
        given().auth().oauth2(ops).get("/api/v1/pain-points/" + dispatch).then().statusCode(200)
                .body("planOverdue", equalTo(false)).body("status", equalTo("dismissed"));
        changes(dispatch, dispatch, "dismissed", 1);
    }

    /** The PainPointChanged events of these two pain points with this change, schema-checked. */
    private static List<JsonNode> changes(String a, String b, String change, int expected) throws Exception {
        List<JsonNode> found = changes(a, b, change, expected, Duration.ofSeconds(15));
        assertThat(found).as(change).hasSize(expected);
        return found;
    }

    /** Reads up to {@code atMost} of them, waiting {@code wait} for more. */
    private static List<JsonNode> changes(String a, String b, String change, int atMost, Duration wait) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaTestSupport.readMatching(Topics.SERVICE_ALERTS,
                r -> r.value() != null && (r.value().contains(a) || r.value().contains(b))
                        && EventTypes.PAIN_POINT_CHANGED.equals(CloudEventRecords.text(r.headers(), CloudEventRecords.TYPE))
                        && r.value().contains("\"change\":\"" + change + "\""), atMost, wait);
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            EventSchemaAssert.assertValidEvent(record);
            out.add(AnalyticsEvents.JSON.readTree(record.value()));
        }
        return out;
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> ticketEvent(String type, String id,
            String ticketType, String category, Instant at, String breachedClock) throws Exception {
        Map<String, Object> ticket = new LinkedHashMap<>();
        ticket.put("id", id);
        ticket.put("ticketType", ticketType);
        ticket.put("status", "acknowledged");
        ticket.put("statusChangeHistory", List.of(Map.of("status", "acknowledged", "changeDate", at.toString())));
        ticket.put("creationDate", at.toString());
        ticket.put("channel", Map.of("name", "app"));
        ticket.put("relatedParty", List.of(Map.of("id", "C-" + id, "role", "customer", "@referredType", "Customer")));
        ticket.put("region", "pp-region");
        if (category != null) {
            ticket.put("characteristic", List.of(Map.of("name", "category", "valueType", "string", "value", category,
                    "@type", "StringCharacteristic")));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventTime", at.toString());
        event.put("eventType", type);
        event.put("sequence", breachedClock == null ? 1 : 2);
        event.put("event", Map.of("troubleTicket", ticket));
        if (breachedClock != null) {
            event.put("slaStage", Map.of("action", "breach", "at", 1.0, "clock", Map.of("metric", breachedClock, "breached", true,
                    "breachedAt", at.toString())));
        }
        return CloudEventRecords.toRecord(Topics.TICKET_EVENTS, id,
                CloudEvent.of(Topics.TICKET_SERVICE, type, id, AnalyticsEvents.JSON.writeValueAsString(event)));
    }

    private static void survey(String ticketId, int csat, Instant at) {
        AnalyticsEvents.send(Topics.SURVEY_EVENTS, Topics.SURVEY_SERVICE, EventTypes.SURVEY_RESPONSE_RECEIVED, ticketId,
                surveyAnswer(ticketId, "csat", csat, at));
    }

    private static Map<String, Object> surveyAnswer(String ticketId, String question, int score, Instant at) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("invitationId", UUID.randomUUID().toString());
        answer.put("ticketId", ticketId);
        answer.put("customerId", "C-" + ticketId);
        answer.put("channel", "app");
        answer.put("serviceType", "faultRepair");
        answer.put("templateId", "fault-repair");
        answer.put("questionnaireVersion", 1);
        answer.put("region", "pp-region");
        answer.put("answers", List.of(Map.of("questionId", question, "score", score, "dimension", "quality"),
                Map.of("questionId", "comment", "text", "generated")));
        answer.put("answeredAt", at.toString());
        return answer;
    }
}
