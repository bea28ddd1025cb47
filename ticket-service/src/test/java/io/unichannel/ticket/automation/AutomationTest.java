package io.unichannel.ticket.automation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic handling against the BSS simulator: an allowed package change is made in the BSS and
 * the ticket resolved in three visible steps with no person involved; a refused one is resolved
 * with the reasons and the packages the rules would allow; a bill question is answered with the
 * customer's own bill items; a question without a known answer goes to an agent with the bill
 * attached; a BSS outage is waited out and the change is still made once; generated targets never
 * change a package they should not. Every decision reads back with its inputs, version and outcome.
 */
@QuarkusTest
@QuarkusTestResource(BssSimulatorResource.class)
class AutomationTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String ops;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    /** A BSS customer of this test: package, balance, lock and last bill as given. */
    private static String customer(String packageId, long balanceCents, boolean locked, List<Map<String, Object>> billItems)
            throws Exception {
        return customer(packageId, balanceCents, locked, billItems, Map.of("lineId", "L-x", "technology", "MOBILE",
                "area", "GZ-TIANHE-01", "alarms", List.of(), "cpeConfigOk", true, "faultsLast90Days", 0));
    }

    private static String customer(String packageId, long balanceCents, boolean locked, List<Map<String, Object>> billItems,
            Map<String, Object> line) throws Exception {
        String id = "AT-" + UUID.randomUUID().toString().substring(0, 12);
        long total = billItems.stream().mapToLong(i -> ((Number) i.get("amountCents")).longValue()).sum();
        Map<String, Object> account = Map.of("msisdn", "13900000000", "packageId", packageId,
                "contractEndDate", LocalDate.now().plusMonths(6).toString(), "contractLocked", locked,
                "balanceCents", balanceCents, "preferredChannel", "app",
                "bill", Map.of("period", "2026-11", "totalCents", total, "items", billItems), "line", line);
        sim("PUT", "/sim/accounts/" + id, JSON.writeValueAsString(account), 200);
        return id;
    }

    private static String sim(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BssSimulatorResource.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return response.body();
    }

    private static List<?> changesOf(String customer) throws Exception {
        return JSON.readValue(sim("GET", "/sim/package-changes?customerId=" + customer, null, 200), List.class);
    }

    private static Map<String, Object> item(String code, String name, long cents) {
        return Map.of("code", code, "name", name, "amountCents", cents);
    }

    private static final List<Map<String, Object>> PLAIN_BILL = List.of(item("MONTHLY_FEE", "5G Smart 59 monthly fee", 5900));

    /** Submits a request as the gateway would and returns its ticket id. */
    private static String submit(String customer, String requestType, String category, String description,
            Map<String, String> attributes) throws Exception {
        return submit(customer, requestType, category, description, attributes, "gz-tianhe");
    }

    private static String submit(String customer, String requestType, String category, String description,
            Map<String, String> attributes, String region) throws Exception {
        UUID requestId = UUID.randomUUID();
        Map<String, Object> payload = new java.util.LinkedHashMap<>(Map.of("requestId", requestId.toString(), "channel", "app",
                "customerId", customer, "subject", customer, "requestType", requestType, "description", description,
                "severity", "minor", "region", region, "submittedAt", OffsetDateTime.now(ZoneOffset.UTC).toString()));
        if (category != null) {
            payload.put("category", category);
        }
        if (attributes != null) {
            payload.put("attributes", attributes);
        }
        KafkaTestSupport.send(ChannelRequests.record(requestId.toString(), JSON.writeValueAsString(payload)));
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
                () -> given().auth().oauth2(ops).queryParam("relatedParty.id", customer).get(TICKETS)
                        .then().statusCode(200).extract().jsonPath().<String>getList("id"), ids -> !ids.isEmpty()).get(0);
    }

    private static JsonPath ticket(String id) {
        return given().auth().oauth2(ops).get(TICKETS + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitStatus(String id, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ticket(id), t -> status.equals(t.getString("status")));
    }

    private static JsonPath decisions(String id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().auth().oauth2(ops).get("/api/v1/automation/tickets/" + id + "/decisions").then()
                        .statusCode(200).extract().jsonPath(), d -> !d.getList("$").isEmpty());
    }

    private static Map<String, String> changeTo(String target) {
        return Map.of("intent", "packageChange", "targetPackage", target);
    }

    @Test
    void anAllowedPackageChangeIsMadeInTheBssAndResolvedInThreeStepsWithNoPerson() throws Exception {
        String customer = customer("M-59", 10_000, false, PLAIN_BILL);
        String id = submit(customer, "businessRequest", null, "Please upgrade me to 5G Plus 99", changeTo("M-99"));

        JsonPath resolved = awaitStatus(id, "resolved");
        assertThat(resolved.getList("statusChangeHistory.status")).containsExactly("acknowledged", "inProgress", "resolved");
        assertThat(resolved.getList("note.text", String.class)).anySatisfy(text -> assertThat(text)
                .contains("Your package is now M-99").contains("was M-59"));
        assertThat(resolved.getList("note.author", String.class)).containsOnly("automation");
        // No person answered: the first-response promise was not kept by anyone, and none is recorded.
        assertThat(resolved.getList("troubleTicketCharacteristic.name", String.class)).doesNotContain("firstResponseDate");
        List<Map<String, Object>> clocks = resolved.getList("troubleTicketCharacteristic.find { it.name == 'slaClock' }.value");
        assertThat(clocks).filteredOn(c -> "firstResponse".equals(c.get("metric")))
                .allSatisfy(c -> assertThat(c.get("outcome")).isEqualTo("answeredAutomatically"));
        List<?> changes = changesOf(customer);
        assertThat(changes).hasSize(1);
        assertThat(((Map<?, ?>) changes.get(0)).get("reference")).isEqualTo(id);

        JsonPath decision = decisions(id);
        assertThat(decision.getString("[0].ruleSet")).isEqualTo("package-change");
        assertThat(decision.getString("[0].ruleSetVersion")).isEqualTo("2026-12-01.1");
        assertThat(decision.getString("[0].outcome")).isEqualTo("approved");
        assertThat(decision.getString("[0].mode")).isEqualTo("act");
        assertThat(decision.getString("[0].inputs.currentPackage")).isEqualTo("M-59");
        assertThat(decision.getString("[0].inputs.targetPackage")).isEqualTo("M-99");
        assertThat(decision.getLong("[0].inputs.balanceCents")).isEqualTo(10_000);
        assertThat(decision.getList("[0].firedRules")).containsExactly("Approve when no rule refuses");
    }

    @Test
    void aChangeWhoseAnswersWereLostIsCarriedOutAsDecidedAndNeverDecidedAgain() throws Exception {
        String customer = customer("M-59", 10_000, false, PLAIN_BILL);
        // The BSS makes the change, but its answer to the first call and to the client's two retries never arrives.
        sim("PUT", "/sim/faults", "{\"lostChangeAnswers\":3}", 200);
        try {
            String id = submit(customer, "businessRequest", null, "Please upgrade me to 5G Plus 99", changeTo("M-99"));

            JsonPath resolved = awaitStatus(id, "resolved");
            String answer = resolved.getList("note.text", String.class).get(resolved.getList("note.text").size() - 1);
            assertThat(answer).as("the customer hears of the change made, not a refusal against the changed account")
                    .contains("Your package is now M-99").contains("was M-59").doesNotContain("cannot");
            List<?> changes = changesOf(customer);
            assertThat(changes).hasSize(1);
            assertThat(((Map<?, ?>) changes.get(0)).get("reference")).isEqualTo(id);
            JsonPath decision = decisions(id);
            assertThat(decision.getList("$")).hasSize(1);
            assertThat(decision.getString("[0].outcome")).isEqualTo("approved");
            assertThat(decision.getString("[0].inputs.currentPackage")).isEqualTo("M-59");
        } finally {
            sim("PUT", "/sim/faults", "{}", 200);
        }
    }

    @Test
    void aRefusedPackageChangeSaysWhyAndOffersWhatTheRulesAllow() throws Exception {
        // Locked contract, and the downgrade to M-59 carries a fee the balance does not cover.
        String customer = customer("M-99", 300, true, PLAIN_BILL);
        String id = submit(customer, "businessRequest", null, "Downgrade me to 5G Smart 59", changeTo("M-59"));

        JsonPath resolved = awaitStatus(id, "resolved");
        String answer = resolved.getList("note.text", String.class).get(resolved.getList("note.text").size() - 1);
        assertThat(answer).contains("We cannot change your package to M-59").contains("balance is ¥3.00")
                .contains("contract keeps your current package").contains("You can change to:")
                .contains("M-129").contains("M-199").doesNotContain("M-59 (");
        assertThat(changesOf(customer)).isEmpty();
        JsonPath decision = decisions(id);
        assertThat(decision.getString("[0].outcome")).isEqualTo("refused");
        assertThat(decision.getList("[0].findings.code")).containsExactlyInAnyOrder("balance-short", "contract-locked");
        assertThat(decision.getList("[0].inputs.alternatives")).hasSize(2);
    }

    @Test
    void aBillQuestionIsAnsweredWithTheCustomersOwnBillItems() throws Exception {
        String customer = customer("M-59", 5_000, false, List.of(item("MONTHLY_FEE", "5G Smart 59 monthly fee", 5900),
                item("ROAMING", "International roaming data", 12_345)));
        String id = submit(customer, "consultation", "billing", "Why is my bill so much higher this month?", null);

        JsonPath resolved = awaitStatus(id, "resolved");
        String answer = resolved.getList("note.text", String.class).get(resolved.getList("note.text").size() - 1);
        assertThat(answer).contains("Your bill for 2026-11 is ¥182.45").contains("International roaming data: ¥123.45")
                .contains("roaming tariff");
        JsonPath decision = decisions(id);
        assertThat(decision.getString("[0].ruleSet")).isEqualTo("bill-question");
        assertThat(decision.getString("[0].outcome")).isEqualTo("answered");
        assertThat(decision.getList("[0].inputs.items.code")).containsExactly("MONTHLY_FEE", "ROAMING");
        assertThat(decision.getList("[0].firedRules")).containsExactly("Roaming charges");
    }

    @Test
    void aQuestionWithoutAKnownAnswerGoesToAnAgentWithTheBillAttached() throws Exception {
        String customer = customer("M-59", 5_000, false, PLAIN_BILL);
        String id = submit(customer, "complaint", "billing", "I was billed twice and want a refund", null);

        JsonPath decision = decisions(id);
        assertThat(decision.getString("[0].outcome")).isEqualTo("referred");
        assertThat(decision.getList("[0].findings.code")).contains("payment-dispute");
        JsonPath ticket = ticket(id);
        assertThat(ticket.getString("status")).isEqualTo("acknowledged");
        assertThat(ticket.getList("note.text", String.class)).anySatisfy(text -> assertThat(text)
                .startsWith("For the agent").contains("Bill 2026-11: ¥59.00"));
        // Handed to routing: the ticket now has a routing state.
        await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().oauth2(ops)
                .get("/api/v1/work/tickets/" + id + "/routing").then().statusCode(200).extract().jsonPath().getList("$").size() > 0
                || BssSimulatorResource.queued(id));
    }

    @Test
    void aBssOutageIsWaitedOutAndTheChangeIsStillMadeOnce() throws Exception {
        String customer = customer("B-100", 10_000, false, PLAIN_BILL);
        // Every call fails for a while: the task waits with backoff instead of giving up or going to a person.
        sim("PUT", "/sim/faults", "{\"failures\": 12}", 200);
        String id = submit(customer, "businessRequest", null, "Faster broadband please", changeTo("B-300"));
        try {
            JsonPath resolved = awaitStatus(id, "resolved");
            assertThat(resolved.getList("note.text", String.class)).anySatisfy(t -> assertThat(t).contains("Your package is now B-300"));
        } finally {
            sim("PUT", "/sim/faults", "{\"failures\": 0}", 200);
        }
        assertThat(changesOf(customer)).hasSize(1);
        assertThat(decisions(id).getList("$")).hasSize(1);
    }

    @Test
    void generatedTargetsNeverChangeAPackageTheRulesDoNotAllow() throws Exception {
        Random random = new Random(1201);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
        List<String> ids = new ArrayList<>();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            StringBuilder target = new StringBuilder();
            int length = 1 + random.nextInt(64);
            for (int c = 0; c < length; c++) {
                target.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String customer = customer("M-39", 100_000, false, PLAIN_BILL);
            customers.add(customer);
            ids.add(submit(customer, "businessRequest", null, "Change my package", changeTo(target.toString())));
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonPath resolved = awaitStatus(ids.get(i), "resolved");
            assertThat(resolved.getList("note.text", String.class)).anySatisfy(t -> assertThat(t).contains("We do not offer a package called"));
            assertThat(changesOf(customers.get(i))).isEmpty();
        }
    }

    private static Map<String, Object> fibre(double power, List<String> alarms, boolean configOk, String area) {
        return Map.of("lineId", "L-f", "technology", "FTTH", "area", area, "ontRxPowerDbm", power, "alarms", alarms,
                "cpeConfigOk", configOk, "faultsLast90Days", 0);
    }

    @Test
    void aFaultOnALineWithBadOpticalPowerGoesStraightToTheFieldEngineersWithTheDiagnosis() throws Exception {
        io.unichannel.ticket.routing.RoutingFloor.clear();
        String region = "at-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakTestSupport.TestUser engineer = KeycloakTestSupport.createStaff("agent", region);
        KeycloakTestSupport.TestUser deskAgent = KeycloakTestSupport.createStaff("agent", region);
        String engineerToken = available(engineer, region, Map.of("fieldEngineer", 2));
        String deskToken = available(deskAgent, region, Map.of("faultRepair", 3));
        String customer = customer("B-300", 5_000, false, PLAIN_BILL, fibre(-30.2, List.of("ONT_RX_POWER_LOW"), true, "GZ-TIANHE-02"));
        String id = submit(customer, "faultRepair", "broadband", "No internet since this morning", null, region);

        JsonPath diagnosed = awaitStatus(id, "inProgress");
        assertThat(diagnosed.getString("statusChangeReason")).contains("optical signal reaching your modem is too weak (-30.2 dBm)")
                .contains("expected repair by");
        assertThat(diagnosed.getString("troubleTicketCharacteristic.find { it.name == 'diagnosis' }.value")).isEqualTo("line");
        // The repair estimate is the diagnosis's; the ticket's expectedResolutionDate stays the SLA's promise.
        java.util.regex.Matcher by = java.util.regex.Pattern.compile("expected repair by (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}) Beijing time")
                .matcher(diagnosed.getString("statusChangeReason"));
        assertThat(by.find()).isTrue();
        java.time.Instant estimate = java.time.LocalDateTime.parse(by.group(1).replace(' ', 'T'))
                .atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
        assertThat(estimate).isBetween(java.time.Instant.now().plus(Duration.ofMinutes(230)),
                java.time.Instant.now().plus(Duration.ofMinutes(241)));
        // Offered to the field engineer, never to the fault desk.
        await().atMost(Duration.ofSeconds(15)).until(() -> id.equals(offerOf(engineerToken)));
        assertThat(offerOf(deskToken)).isNull();
        JsonPath decision = decisions(id);
        assertThat(decision.getString("[0].ruleSet")).isEqualTo("fault-diagnosis");
        assertThat(decision.getString("[0].outcome")).isEqualTo("line");
        assertThat(decision.getDouble("[0].inputs.ontRxPowerDbm")).isEqualTo(-30.2);
        assertThat(decision.getList("[0].firedRules")).contains("Optical power too low at the ONT");
        io.unichannel.ticket.routing.RoutingFloor.clear();
    }

    @Test
    void aFaultWithNothingWrongOnTheLineGoesToTheFaultDeskAndAnOssRefusalHoldsNothingUp() throws Exception {
        String healthy = customer("B-100", 5_000, false, PLAIN_BILL, fibre(-19.5, List.of(), true, "GZ-TIANHE-01"));
        String id = submit(healthy, "faultRepair", "broadband", "Slow in the evenings", null);
        JsonPath diagnosed = awaitStatus(id, "inProgress");
        assertThat(diagnosed.getString("statusChangeReason")).contains("found nothing wrong on our side");
        assertThat(decisions(id).getString("[0].outcome")).isEqualTo("unknown");
        await().atMost(Duration.ofSeconds(10)).until(() -> "faults".equals(given().auth().oauth2(ops)
                .get("/api/v1/work/tickets/" + id + "/routing").then().extract().path("[0].queue")));

        // The OSS does not know this customer: no diagnosis, and the report goes to the fault desk at once.
        String unknown = "AT-unknown-" + UUID.randomUUID().toString().substring(0, 8);
        String undiagnosed = submit(unknown, "faultRepair", "broadband", "No signal", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> "faults".equals(given().auth().oauth2(ops)
                .get("/api/v1/work/tickets/" + undiagnosed + "/routing").then().extract().path("[0].queue")));
        JsonPath plain = ticket(undiagnosed);
        assertThat(plain.getString("status")).isEqualTo("acknowledged");
        assertThat(plain.getList("troubleTicketCharacteristic.name")).doesNotContain("diagnosis");
    }

    private static String available(KeycloakTestSupport.TestUser user, String region, Map<String, Integer> skills) {
        given().auth().oauth2(ops).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("regions", List.of(region), "skills", skills, "seniority", 2,
                        "capacity", Map.of("total", 5)))
                .put("/api/v1/work/agents/" + user.username()).then().statusCode(200);
        String token = KeycloakTestSupport.passwordToken("staff-console", user);
        given().auth().oauth2(token).contentType(io.restassured.http.ContentType.JSON).body(Map.of("presence", "available"))
                .put("/api/v1/work/presence").then().statusCode(200);
        return token;
    }

    private static String offerOf(String token) {
        return given().auth().oauth2(token).get("/api/v1/work/queue").then().statusCode(200).extract().path("offer.ticketId");
    }

    @Test
    void faultReportsInAnOutageAreaBecomeChildrenOfOneIncidentAndAllCloseWhenItIsResolved() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String area = "AT-AREA-" + suffix;
        String outage = "OUT-" + suffix;
        sim("PUT", "/sim/outages/" + outage, JSON.writeValueAsString(Map.of("area", area, "cause", "Fibre cut on the feeder cable",
                "since", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toString(),
                "expectedRestore", OffsetDateTime.now(ZoneOffset.UTC).plusHours(3).toString())), 200);
        List<String> children = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String customer = customer("B-100", 5_000, false, PLAIN_BILL, fibre(-31.0 + i, List.of(), i != 1, area));
                children.add(submit(customer, "faultRepair", "broadband", "Internet down", null));
            }
            List<String> parents = new ArrayList<>();
            for (String child : children) {
                JsonPath attached = awaitStatus(child, "pending");
                assertThat(attached.getString("statusChangeReason")).contains("There is an outage in your area (Fibre cut on the feeder cable)");
                assertThat(attached.getString("troubleTicketRelationship[0].relationshipType")).isEqualTo("isChildOf");
                parents.add(attached.getString("troubleTicketRelationship[0].id"));
                assertThat(decisions(child).getString("[0].outcome")).isEqualTo("outage");
            }
            assertThat(parents).containsOnly(parents.get(0));
            String parent = parents.get(0);
            JsonPath incident = ticket(parent);
            assertThat(incident.getString("description")).contains(area).contains(outage);
            assertThat(incident.getString("severity")).isEqualTo("major");

            io.unichannel.ticket.Tickets.patch(ops, parent, "{\"status\":\"inProgress\"}").statusCode(200);
            io.unichannel.ticket.Tickets.patch(ops, parent, "{\"status\":\"resolved\",\"statusChangeReason\":\"Feeder spliced\"}")
                    .statusCode(200);
            for (String child : children) {
                JsonPath resolved = awaitStatus(child, "resolved");
                assertThat(resolved.getString("statusChangeReason")).contains("The outage in your area has been fixed");
            }
        } finally {
            sim("DELETE", "/sim/outages/" + outage, null, 200);
        }
    }
}
