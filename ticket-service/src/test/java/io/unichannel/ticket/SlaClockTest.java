package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SLA clocks on real tickets (test policies with targets of seconds): warnings, the breach and
 * every escalation step published on ticket-events, staff notified on notifications, the
 * promise to the customer pausing and moving, and the supervisors' report.
 */
@QuarkusTest
class SlaClockTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";

    /** ops: sees every region's tickets (the tests use several). */
    private static String agentToken;
    private static String supervisorToken;
    private static String regionAgentToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        supervisorToken = KeycloakTestSupport.passwordToken("staff-console",
                KeycloakTestSupport.createStaff("supervisor", "sla-fast-report"));
        regionAgentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "sla-fast-report"));
    }

    static void submit(String customer, String type, String region) {
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, type, region, "minor"));
    }

    @Test
    void anUnansweredTicketWarnsBreachesAndClimbsTheLadderOnceEach() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        submit(customer, "faultRepair", "sla-fast-1");
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);

        // firstResponse 2 s and resolution 3 s: 6 stages each, the last (page, at 200 %) after 6 s
        List<ConsumerRecord<String, String>> events = Tickets.eventsOf(ticketId, 13, Duration.ofSeconds(20));
        assertThat(events).hasSize(13);
        events.forEach(EventSchemaAssert::assertValidEvent);
        List<JsonNode> bodies = events.stream().map(r -> tree(r.value())).toList();
        assertThat(bodies).extracting(b -> b.get("sequence").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 13).boxed().toList());
        List<JsonNode> stages = bodies.stream().filter(b -> b.has("slaStage")).map(b -> b.get("slaStage")).toList();
        Map<String, List<String>> byMetric = stages.stream().collect(Collectors.groupingBy(
                s -> s.at("/clock/metric").asText(), Collectors.mapping(s -> s.get("action").asText(), Collectors.toList())));
        assertThat(byMetric.get("firstResponse")).containsExactly("warn", "warn", "breach", "raisePriority", "reassign", "page");
        assertThat(byMetric.get("resolution")).containsExactly("warn", "warn", "breach", "raisePriority", "reassign", "page");
        for (JsonNode stage : stages) {
            OffsetDateTime due = OffsetDateTime.parse(stage.get("dueAt").asText());
            OffsetDateTime fired = OffsetDateTime.parse(bodies.get(stages.indexOf(stage) + 1).get("eventTime").asText());
            assertThat(Duration.between(due, fired)).as("firing lag of %s", stage).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        }
        JsonNode breach = bodies.stream().filter(b -> "TroubleTicketSlaBreachEvent".equals(eventType(events, b))).findFirst().orElseThrow();
        assertThat(breach.at("/slaStage/clock/breached").asBoolean()).isTrue();
        assertThat(breach.at("/slaStage/notified").toString()).contains("supervisors:sla-fast-1");

        // escalations changed the ticket: priority raised twice (medium -> high -> urgent), reassigned
        JsonPath ticket = given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(ticket.getString("priority")).isEqualTo("urgent");
        assertThat(ticket.getList("relatedParty.partyOrPartyRole.id")).contains("senior-agents");
        List<Map<String, Object>> clocks = ticket.getList("troubleTicketCharacteristic.find { it.name == 'slaClock' }.value");
        assertThat(clocks).extracting(c -> c.get("metric") + ":" + c.get("breached") + ":" + c.get("state"))
                .containsExactlyInAnyOrder("firstResponse:true:running", "resolution:true:running");

        // staff were told: the duty manager paged, supervisors warned
        List<ConsumerRecord<String, String>> notes = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> r.value().contains(ticketId), 20, Duration.ofSeconds(5));
        notes.forEach(EventSchemaAssert::assertValidEvent);
        assertThat(notes).extracting(ConsumerRecord::key).contains("duty-manager-fast", "supervisors:sla-fast-1", "senior-agents");
        assertThat(notes.stream().map(r -> tree(r.value()).get("template").asText()).distinct())
                .contains("sla-warn", "sla-breach", "sla-page");

        // nothing fires twice: the stream stays quiet after the ladder's end
        assertThat(Tickets.eventsOf(ticketId, 14, Duration.ofSeconds(3))).hasSize(13);
    }

    /**
     * The notices reach people: the region's supervisor finds every stage of the ticket on the desk
     * (its API), the ticket's history says who was told, a supervisor elsewhere sees none of it, and
     * a notice marked read leaves the unread list.
     */
    @Test
    void supervisorsFindTheWarningsAndEscalationsOfTheirRegionOnTheDeskAndTheTicketSaysWhoWasTold() throws Exception {
        String region = "sla-fast-" + UUID.randomUUID().toString().substring(0, 6);
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", region));
        String elsewhere = KeycloakTestSupport.passwordToken("staff-console",
                KeycloakTestSupport.createStaff("supervisor", "sla-fast-elsewhere"));
        String customer = "C-" + UUID.randomUUID();
        submit(customer, "faultRepair", region);
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);
        // (the timer may still be starting when this class's first test runs: the lag is another test's subject)
        assertThat(Tickets.eventsOf(ticketId, 13, Duration.ofSeconds(60))).hasSize(13);

        List<Map<String, Object>> notices = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> given().auth().oauth2(supervisor).get("/api/v1/work/notices").then().statusCode(200).extract()
                        .jsonPath().<Map<String, Object>>getList("$").stream().filter(n -> ticketId.equals(n.get("ticketId"))).toList(),
                        list -> list.size() >= 12);
        assertThat(notices).extracting(n -> (String) n.get("kind")).contains("warn", "breach", "raisePriority", "reassign", "page");
        assertThat(notices).extracting(n -> (String) n.get("text")).anySatisfy(t -> assertThat(t)
                .startsWith("SLA warning: first response at").contains(ticketId));
        assertThat(notices).extracting(n -> (String) n.get("recipient")).contains("supervisors:" + region, "duty-manager-fast");
        assertThat(given().auth().oauth2(elsewhere).get("/api/v1/work/notices").then().statusCode(200).extract().jsonPath()
                .<String>getList("ticketId")).doesNotContain(ticketId);

        List<String> history = given().auth().oauth2(agentToken).get(TICKETS + "/" + ticketId).then().statusCode(200).extract()
                .jsonPath().getList("note.text");
        assertThat(history).anySatisfy(t -> assertThat(t).startsWith("SLA breached: resolution at 100 % of its time: told")
                .contains("supervisors:" + region));
        assertThat(history).anySatisfy(t -> assertThat(t).startsWith("SLA escalation (page): first response at 200 %")
                .endsWith("told duty-manager-fast."));

        String first = (String) notices.get(0).get("id");
        given().auth().oauth2(elsewhere).post("/api/v1/work/notices/" + first + "/read").then().statusCode(404);
        given().auth().oauth2(supervisor).post("/api/v1/work/notices/" + first + "/read").then().statusCode(200);
        assertThat(given().auth().oauth2(supervisor).get("/api/v1/work/notices").then().statusCode(200).extract().jsonPath()
                .<String>getList("id")).doesNotContain(first);
        assertThat(given().auth().oauth2(supervisor).queryParam("all", true).get("/api/v1/work/notices").then().statusCode(200)
                .extract().jsonPath().<String>getList("id")).contains(first);
    }

    @Test
    void thePromiseToTheCustomerPausesWhileWaitingOnThemAndMovesWhenTheyAnswer() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        submit(customer, "complaint", "sla-pause-1");
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);
        OffsetDateTime promised = OffsetDateTime.parse(given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId)
                .then().statusCode(200).extract().jsonPath().getString("expectedResolutionDate"));

        Tickets.patch(agentToken, ticketId, "{\"status\":\"pending\",\"statusChangeReason\":\"Which address?\"}").statusCode(200)
                .body("expectedResolutionDate", nullValue())
                .body("troubleTicketCharacteristic[0].value.state", hasItem("paused"));
        Thread.sleep(2_000);
        OffsetDateTime moved = OffsetDateTime.parse(Tickets.patch(agentToken, ticketId, "{\"status\":\"inProgress\"}").statusCode(200)
                .extract().jsonPath().getString("expectedResolutionDate"));
        assertThat(Duration.between(promised, moved)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));

        List<ConsumerRecord<String, String>> events = Tickets.eventsOf(ticketId, 3, Duration.ofSeconds(10));
        events.forEach(EventSchemaAssert::assertValidEvent);
        JsonNode pending = tree(events.get(1).value());
        assertThat(pending.at("/event/troubleTicket/expectedResolutionDate").isMissingNode()).isTrue();
        assertThat(pending.at("/slaClocks/0/state").asText()).isEqualTo("paused");
        assertThat(pending.get("fieldPath").toString()).contains("expectedResolutionDate");
        JsonNode resumed = tree(events.get(2).value());
        assertThat(OffsetDateTime.parse(resumed.at("/event/troubleTicket/expectedResolutionDate").asText())).isEqualTo(moved);
        assertThat(resumed.at("/slaClocks/0/state").asText()).isEqualTo("running");
    }

    @Test
    void supervisorsGetTheReportAsJsonAndCsvAndAgentsDoNot() {
        String customer = "C-" + UUID.randomUUID();
        submit(customer, "consultation", "sla-fast-report");
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);
        Tickets.patch(agentToken, ticketId, "{\"status\":\"inProgress\"}").statusCode(200);
        Tickets.patch(agentToken, ticketId, "{\"status\":\"resolved\",\"statusChangeReason\":\"Answered\"}").statusCode(200);
        String from = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String to = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

        JsonPath report = given().auth().oauth2(supervisorToken).queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "region").when().get("/api/v1/sla/report").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> rows = report.getList("rows.findAll { it.group == 'sla-fast-report' }");
        assertThat(rows).extracting(r -> r.get("metric")).contains("firstResponse", "resolution");
        Map<String, Object> firstResponse = rows.stream().filter(r -> "firstResponse".equals(r.get("metric"))).findFirst().orElseThrow();
        assertThat(((Number) firstResponse.get("met")).longValue() + ((Number) firstResponse.get("breached")).longValue())
                .isGreaterThanOrEqualTo(1);
        assertThat(firstResponse.get("p50Seconds")).isNotNull();
        assertThat(firstResponse.get("meanSeconds")).isNotNull();

        String csv = given().auth().oauth2(supervisorToken).accept("text/csv").queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "region").when().get("/api/v1/sla/report").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("policyId,metric,regulatory,group,clocks,met,breached");
        assertThat(csv).contains("fast,firstResponse,false,sla-fast-report,");

        given().auth().oauth2(regionAgentToken).queryParam("from", from).queryParam("to", to).when().get("/api/v1/sla/report")
                .then().statusCode(403);
        // a supervisor's report covers their own region only
        assertThat(report.getList("rows.group", String.class)).containsOnly("sla-fast-report");
        given().auth().oauth2(supervisorToken).queryParam("from", to).queryParam("to", from).when().get("/api/v1/sla/report")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(supervisorToken).queryParam("from", from).queryParam("to", to).queryParam("groupBy", "1;drop")
                .when().get("/api/v1/sla/report").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("groupBy"));
    }

    /**
     * The grade is the platform's: a customer's request carries only their stated urgency, kept on
     * the ticket for the agent. Only a person's answer is a first response, recorded once.
     */
    @Test
    void aCustomersUrgencyIsKeptAsAClaimAndOnlyAPersonsAnswerIsAFirstResponse() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.fromCustomer(UUID.randomUUID(), customer, "consultation", "sla-pause-3", "high"));
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);
        JsonPath opened = given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(opened.getString("severity")).as("graded by the platform, not by the customer").isEqualTo("minor");
        assertThat(opened.getString("troubleTicketCharacteristic.find { it.name == 'statedUrgency' }.value")).isEqualTo("high");
        assertThat(opened.getList("troubleTicketCharacteristic.name", String.class)).doesNotContain("firstResponseDate");

        JsonPath answered = Tickets.patch(agentToken, ticketId, "{\"note\":[{\"text\":\"We are checking your bill now.\"}]}")
                .statusCode(200).extract().jsonPath();
        String first = answered.getString("troubleTicketCharacteristic.find { it.name == 'firstResponseDate' }.value");
        assertThat(OffsetDateTime.parse(first)).isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now().plusSeconds(5));
        List<Map<String, Object>> clocks = answered.getList("troubleTicketCharacteristic.find { it.name == 'slaClock' }.value");
        assertThat(clocks).filteredOn(c -> "firstResponse".equals(c.get("metric")))
                .allSatisfy(c -> assertThat(c.get("state")).isEqualTo("stopped"));
        Thread.sleep(20);
        String later = Tickets.patch(agentToken, ticketId, "{\"status\":\"inProgress\"}").statusCode(200).extract().jsonPath()
                .getString("troubleTicketCharacteristic.find { it.name == 'firstResponseDate' }.value");
        assertThat(later).as("the first answer stays the first").isEqualTo(first);
    }

    @Test
    void reGradingATicketRetargetsItsClocks() {
        String customer = "C-" + UUID.randomUUID();
        submit(customer, "faultRepair", "sla-pause-2");
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);
        OffsetDateTime promised = OffsetDateTime.parse(given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId)
                .then().statusCode(200).body("troubleTicketCharacteristic[0].value.policyId", hasItem("pause"))
                .extract().jsonPath().getString("expectedResolutionDate"));
        OffsetDateTime regraded = OffsetDateTime.parse(Tickets.patch(agentToken, ticketId, "{\"severity\":\"major\"}").statusCode(200)
                .body("severity", equalTo("major")).body("troubleTicketCharacteristic[0].value.policyId", hasItem("grade-2"))
                .extract().jsonPath().getString("expectedResolutionDate"));
        // 1 h target became 2 h, keeping the time used
        assertThat(Duration.between(promised, regraded)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
        Tickets.patch(agentToken, ticketId, "{\"severity\":\"sideways\"}").statusCode(400).body("errors.field", hasItem("severity"));
    }

    private static String eventType(List<ConsumerRecord<String, String>> events, JsonNode body) {
        return events.stream().filter(r -> r.value().contains(body.get("eventId").asText())).findFirst()
                .map(EventSchemaAssert::assertValidEvent).map(CloudEvent::type).orElseThrow();
    }

    private static JsonNode tree(String json) {
        return Tickets.tree(json);
    }
}
