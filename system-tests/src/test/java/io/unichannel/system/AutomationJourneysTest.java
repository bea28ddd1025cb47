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
 * from the customer's own bill. Every decision reads back with its inputs, version and outcome.
 */
class AutomationJourneysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void packageChangesAndBillQuestionsAreSettledWithNoHumanStep() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("automation");
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
            }
        }
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
        long total = items.stream().mapToLong(i -> ((Number) i.get("amountCents")).longValue()).sum();
        String body = JSON.writeValueAsString(Map.of("msisdn", "13700000000", "packageId", packageId,
                "contractEndDate", LocalDate.now().plusMonths(8).toString(), "contractLocked", locked, "balanceCents", balance,
                "preferredChannel", "app", "bill", Map.of("period", "2026-11", "totalCents", total, "items", items)));
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
        return Awaitility.await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().baseUri(gateway.baseUrl()).auth().oauth2(token).get("/api/v1/requests/" + requestId)
                        .then().statusCode(200).extract().jsonPath(), state -> "resolved".equals(state.getString("status")));
    }

    private static String lastReason(JsonPath state) {
        List<String> reasons = state.getList("progress.statusChangeReason", String.class);
        return reasons.get(reasons.size() - 1);
    }
}
