package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import io.unichannel.simulator.BssOssSimulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Standard business settled by the rules, end to end: customers submit through the gateway as an
 * app would, ticket-service's automation asks the operator's BSS (the simulator), and each
 * customer follows the outcome on the gateway. An allowed package change is made and resolved
 * with no human step; a disallowed one is refused with the reason; a bill question is answered
 * from the customer's own bill; a fault on a line with a bad optical power reading goes straight to
 * the field engineers with the diagnosis; three fault reports from an outage area become children
 * of one incident and all are resolved with it. Every decision reads back with its inputs, version
 * and outcome.
 */
class AutomationJourneysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void packageChangesAndBillQuestionsAreSettledWithNoHumanStep() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("automation");
        java.time.OffsetDateTime started = java.time.OffsetDateTime.now();
        try (BssOssSimulator bss = BssOssSimulator.start(0, 50)) {
            Map<String, String> ticketSettings = new HashMap<>(deployment.ticketSettings());
            ticketSettings.put("BSS_URL", bss.baseUrl());
            ticketSettings.put("OSS_URL", bss.baseUrl());
            try (ServiceProcess tickets = ServiceProcess.of("ticket-service", ticketSettings);
                    ServiceProcess gateway = ServiceProcess.of("channel-gateway", deployment.gatewaySettings())) {
                ServiceProcess.startAll(List.of(tickets, gateway));
                String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));

                // Allowed: 5G Smart 59 to 5G Plus 99, no fee, unlocked.
                String upgrader = customerToken();
                account(bss, customerId(upgrader), "M-59", 10_000, false, List.of(item("MONTHLY_FEE", "5G Smart 59 monthly fee", 5900)));
                // Refused: a locked contract and a downgrade fee the balance does not cover.
                String locked = customerToken();
                account(bss, customerId(locked), "M-99", 300, true, List.of(item("MONTHLY_FEE", "5G Plus 99 monthly fee", 9900)));
                // A bill with roaming on it.
                String traveller = customerToken();
                account(bss, customerId(traveller), "M-59", 5_000, false, List.of(item("MONTHLY_FEE", "5G Smart 59 monthly fee", 5900),
                        item("ROAMING", "International roaming data", 8_800)));

                String up = submit(gateway, upgrader, Map.of("requestType", "businessRequest", "description", "Upgrade me to 5G Plus 99",
                        "attributes", Map.of("intent", "packageChange", "targetPackage", "M-99")));
                String down = submit(gateway, locked, Map.of("requestType", "businessRequest", "description", "Downgrade me please",
                        "attributes", Map.of("intent", "packageChange", "targetPackage", "M-59")));
                String bill = submit(gateway, traveller, Map.of("requestType", "consultation", "category", "billing",
                        "description", "Why is my bill higher than my package this month?"));

                JsonPath upgraded = resolved(gateway, upgrader, up);
                assertThat(upgraded.getList("progress.status")).containsSubsequence("submitted", "acknowledged", "inProgress", "resolved");
                assertThat(lastReason(upgraded)).contains("Your package is now M-99");
                assertThat(changes(bss, customerId(upgrader))).hasSize(1);

                JsonPath refused = resolved(gateway, locked, down);
                assertThat(lastReason(refused)).contains("We cannot change your package to M-59")
                        .contains("contract keeps your current package");
                assertThat(changes(bss, customerId(locked))).isEmpty();

                JsonPath answered = resolved(gateway, traveller, bill);
                assertThat(lastReason(answered)).contains("International roaming data: ¥88.00").contains("roaming tariff");

                // Staff read every decision back: inputs, rule set and version, outcome.
                for (var expected : Map.of(upgraded, "approved", refused, "refused", answered, "answered").entrySet()) {
                    String ticketId = expected.getKey().getString("ticketId");
                    JsonPath decisions = given().baseUri(tickets.baseUrl()).auth().oauth2(ops)
                            .get("/api/v1/automation/tickets/" + ticketId + "/decisions").then().statusCode(200).extract().jsonPath();
                    assertThat(decisions.getString("[0].outcome")).isEqualTo(expected.getValue());
                    assertThat(decisions.getString("[0].ruleSetVersion")).isEqualTo("2026-12-01.1");
                    assertThat(decisions.getMap("[0].inputs")).isNotEmpty();
                }

                faultsAreDiagnosedAndOutagesBecomeOneIncident(bss, tickets, gateway, ops);
                aRenewalOfferAcceptedFromTheReminderChangesThePackage(bss, tickets, gateway, ops);
                theWorkloadGeneratorRunsAndReportsEveryRuleSet(bss);
            }
        } finally {
            // Tasks this run left waiting would wait for a simulator that is gone, on the database later runs share.
            try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                    + System.getenv().getOrDefault("DB_PORT", "15432") + "/" + ScaleDeployment.TICKET_DB, "postgres", "postgres");
                    java.sql.PreparedStatement settle = db.prepareStatement(
                            "UPDATE automation_task SET state = 'done', last_error = 'left by a finished test run' "
                                    + "WHERE state = 'pending' AND created_at >= ?")) {
                settle.setObject(1, started);
                settle.executeUpdate();
            }
        }
    }

    private void faultsAreDiagnosedAndOutagesBecomeOneIncident(BssOssSimulator bss, ServiceProcess tickets,
            ServiceProcess gateway, String ops) throws Exception {
        // A fibre line whose modem receives too little light.
        String weak = customerToken();
        account(bss, customerId(weak), "B-300", 5_000, false, List.of(item("MONTHLY_FEE", "Fibre 300M monthly fee", 9900)),
                line(-30.4, "GZ-TIANHE-02"));
        String fault = submit(gateway, weak, Map.of("requestType", "faultRepair", "category", "broadband",
                "description", "No internet since this morning"));
        JsonPath diagnosed = status(gateway, weak, fault, "inProgress");
        assertThat(lastReason(diagnosed)).contains("too weak (-30.4 dBm)").contains("A field engineer will contact you");
        String faultTicket = diagnosed.getString("ticketId");
        JsonPath ticket = given().baseUri(tickets.baseUrl()).auth().oauth2(ops)
                .get("/tmf-api/troubleTicket/v5/troubleTicket/" + faultTicket).then().statusCode(200).extract().jsonPath();
        assertThat(ticket.getString("troubleTicketCharacteristic.find { it.name == 'diagnosis' }.value")).isEqualTo("line");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "field-engineers".equals(given().baseUri(tickets.baseUrl())
                .auth().oauth2(ops).get("/api/v1/work/tickets/" + faultTicket + "/routing").then().extract().path("[0].queue")));

        // An outage in an area: three customers there report faults.
        String area = "E2E-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> opened = HTTP.send(HttpRequest.newBuilder(URI.create(bss.baseUrl() + "/sim/outages/OUT-" + area))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("area", area, "cause", "Power cut at the exchange",
                        "since", java.time.OffsetDateTime.now().minusHours(1).toString(),
                        "expectedRestore", java.time.OffsetDateTime.now().plusHours(2).toString())))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).isEqualTo(200);
        Map<String, String> reports = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String token = customerToken();
            account(bss, customerId(token), "B-100", 5_000, false, List.of(item("MONTHLY_FEE", "Fibre 100M monthly fee", 4900)),
                    line(-20.0 - i, area));
            reports.put(submit(gateway, token, Map.of("requestType", "faultRepair", "category", "broadband",
                    "description", "Internet down")), token);
        }
        java.util.Set<String> parents = new java.util.HashSet<>();
        for (var report : reports.entrySet()) {
            JsonPath waiting = status(gateway, report.getValue(), report.getKey(), "pending");
            assertThat(lastReason(waiting)).contains("There is an outage in your area (Power cut at the exchange)");
            parents.add(given().baseUri(tickets.baseUrl()).auth().oauth2(ops)
                    .get("/tmf-api/troubleTicket/v5/troubleTicket/" + waiting.getString("ticketId")).then().statusCode(200)
                    .extract().path("troubleTicketRelationship.find { it.relationshipType == 'isChildOf' }.id"));
        }
        assertThat(parents).hasSize(1);
        String incident = parents.iterator().next();
        for (String change : List.of("{\"status\":\"inProgress\"}", "{\"status\":\"resolved\",\"statusChangeReason\":\"Power restored\"}")) {
            given().baseUri(tickets.baseUrl()).auth().oauth2(ops).contentType("application/merge-patch+json").body(change)
                    .patch("/tmf-api/troubleTicket/v5/troubleTicket/" + incident).then().statusCode(200);
        }
        for (var report : reports.entrySet()) {
            assertThat(lastReason(resolved(gateway, report.getValue(), report.getKey()))).contains("The outage in your area has been fixed");
        }
    }

    /**
     * Proactive care as of the day 15 days before a contract ends (the pass's clock): the heavy data
     * user is reminded with the next package up, the gateway keeps the offer for them, and accepting
     * it changes the package in the BSS with no person involved.
     */
    private void aRenewalOfferAcceptedFromTheReminderChangesThePackage(BssOssSimulator bss, ServiceProcess tickets,
            ServiceProcess gateway, String ops) throws Exception {
        String renewer = customerToken();
        String id = customerId(renewer);
        LocalDate contractEnd = LocalDate.of(2040, 1, 1).plusDays(java.util.concurrent.ThreadLocalRandom.current().nextInt(5000));
        String body = JSON.writeValueAsString(Map.of("msisdn", "13700000001", "packageId", "M-59",
                "contractEndDate", contractEnd.toString(), "contractLocked", false, "balanceCents", 3_000, "preferredChannel", "app",
                "usage", Map.of("dataGbPerMonth", 42.5, "voiceMinutesPerMonth", 380),
                "bill", Map.of("period", "2026-11", "totalCents", 5900, "items", List.of()), "line", line(-19.0, "GZ-TIANHE-01")));
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(bss.baseUrl() + "/sim/accounts/" + id))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        JsonPath run = given().baseUri(tickets.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("asOf", contractEnd.minusDays(15).toString())).post("/api/v1/automation/care/runs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(run.getInt("reminded")).as(run.prettify()).isEqualTo(1);
        JsonPath offer = given().baseUri(tickets.baseUrl()).auth().oauth2(ops).queryParam("customerId", id)
                .get("/api/v1/automation/care/offers").then().statusCode(200).extract().jsonPath();
        assertThat(offer.getString("[0].offeredPackage")).isEqualTo("M-99");
        String offerId = offer.getString("[0].id");

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> given()
                .baseUri(gateway.baseUrl()).auth().oauth2(renewer).get("/api/v1/offers/" + offerId).then().extract().statusCode() == 200);
        String requestId = given().baseUri(gateway.baseUrl()).auth().oauth2(renewer).post("/api/v1/offers/" + offerId + "/accept")
                .then().statusCode(202).extract().path("requestId");
        JsonPath changed = resolved(gateway, renewer, requestId);
        assertThat(lastReason(changed)).contains("Your package is now M-99");
        assertThat(changes(bss, id)).hasSize(1);
    }

    /** `./platform bench automation` at a tiny rate against this test's ticket-service and simulator. */
    private void theWorkloadGeneratorRunsAndReportsEveryRuleSet(BssOssSimulator bss) throws Exception {
        java.nio.file.Path report = java.nio.file.Files.createTempFile("automation", ".md");
        java.nio.file.Path output = java.nio.file.Files.createTempFile("automation", ".log");
        ProcessBuilder bench = new ProcessBuilder("java", "-Xmx256m", "-cp", "../ticket-service/target/quarkus-app/lib/main/*",
                "../deploy/bench/AutomationBenchmark.java", io.unichannel.common.testing.PlatformInfra.kafkaBootstrapServers(),
                "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/" + ScaleDeployment.TICKET_DB,
                bss.baseUrl(), "24", "24", report.toString()).redirectErrorStream(true).redirectOutput(output.toFile());
        bench.environment().put("BENCH_MACHINE_SECONDS", "1");
        Process process = bench.start();
        assertThat(process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).as("benchmark finished").isTrue();
        assertThat(process.exitValue()).as(java.nio.file.Files.readString(output)).isZero();
        String text = java.nio.file.Files.readString(report);
        assertThat(text).as(text).containsPattern("\\| machine: BSS simulator reads/s \\(8 clients\\) \\| [\\d,]+ \\|")
                .containsPattern("\\| all \\| 24 \\| package changes and bill questions: \\d+ % \\| [\\d.]+ / [\\d.]+ ms \\|")
                .contains("24 requests (24 per second offered), 24 decided.");
    }

    private static Map<String, Object> line(double power, String area) {
        return Map.of("lineId", "L-e2e", "technology", "FTTH", "area", area, "ontRxPowerDbm", power, "alarms", List.of(),
                "cpeConfigOk", true, "faultsLast90Days", 0);
    }

    private static String customerToken() {
        return KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
    }

    /** The platform customer id the gateway puts on the request: the customer_id claim, else the subject. */
    private static String customerId(String token) throws Exception {
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        return claims.hasNonNull("customer_id") ? claims.get("customer_id").asText() : claims.get("sub").asText();
    }

    private static Map<String, Object> item(String code, String name, long cents) {
        return Map.of("code", code, "name", name, "amountCents", cents);
    }

    private static void account(BssOssSimulator bss, String customerId, String packageId, long balance, boolean locked,
            List<Map<String, Object>> items) throws Exception {
        account(bss, customerId, packageId, balance, locked, items, line(-19.0, "GZ-TIANHE-01"));
    }

    private static void account(BssOssSimulator bss, String customerId, String packageId, long balance, boolean locked,
            List<Map<String, Object>> items, Map<String, Object> line) throws Exception {
        long total = items.stream().mapToLong(i -> ((Number) i.get("amountCents")).longValue()).sum();
        String body = JSON.writeValueAsString(Map.of("msisdn", "13700000000", "packageId", packageId,
                "contractEndDate", LocalDate.now().plusMonths(8).toString(), "contractLocked", locked, "balanceCents", balance,
                "preferredChannel", "app", "bill", Map.of("period", "2026-11", "totalCents", total, "items", items), "line", line));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(bss.baseUrl() + "/sim/accounts/" + customerId))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static List<?> changes(BssOssSimulator bss, String customerId) throws Exception {
        return JSON.readValue(HTTP.send(HttpRequest.newBuilder(URI.create(bss.baseUrl() + "/sim/package-changes?customerId="
                + customerId)).build(), HttpResponse.BodyHandlers.ofString()).body(), List.class);
    }

    private static String submit(ServiceProcess gateway, String token, Map<String, Object> body) {
        return given().baseUri(gateway.baseUrl()).auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
    }

    private static JsonPath resolved(ServiceProcess gateway, String token, String requestId) {
        return status(gateway, token, requestId, "resolved");
    }

    private static JsonPath status(ServiceProcess gateway, String token, String requestId, String status) {
        return Awaitility.await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().baseUri(gateway.baseUrl()).auth().oauth2(token).get("/api/v1/requests/" + requestId)
                        .then().statusCode(200).extract().jsonPath(), state -> status.equals(state.getString("status")));
    }

    private static String lastReason(JsonPath state) {
        List<String> reasons = state.getList("progress.statusChangeReason", String.class);
        return reasons.get(reasons.size() - 1);
    }
}
