package io.unichannel.ticket.automation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proactive care against the BSS simulator, as of a day the test chooses (the pass's clock): every
 * contract ending 15 days later gets one reminder, with the offer the rules chose from the
 * customer's use (heavy data: the next package up; light use: the next one down; the rest: renew),
 * on the channel the BSS names; two passes at once (two replicas) and a pass run again remind no
 * one twice; each decision reads back with its inputs, version and fired rules.
 */
@QuarkusTest
@QuarkusTestResource(BssSimulatorResource.class)
class RenewalCareTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String ops;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    private static String account(String packageId, LocalDate contractEnd, long balanceCents, double dataGb, int minutes,
            String channel) throws Exception {
        String id = "RC-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Object> account = Map.of("msisdn", "13900000000", "packageId", packageId,
                "contractEndDate", contractEnd.toString(), "contractLocked", false, "balanceCents", balanceCents,
                "preferredChannel", channel, "usage", Map.of("dataGbPerMonth", dataGb, "voiceMinutesPerMonth", minutes),
                "bill", Map.of("period", "2026-11", "totalCents", 5900, "items", List.of()));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BssSimulatorResource.url() + "/sim/accounts/" + id))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(account)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return id;
    }

    private static JsonPath run(LocalDate asOf) {
        return given().auth().oauth2(ops).contentType(ContentType.JSON).body(Map.of("asOf", asOf.toString()))
                .post("/api/v1/automation/care/runs").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eachContractEndingIn15DaysIsRemindedOnceWithTheOfferItsUseCallsFor() throws Exception {
        // A day no seeded contract and no earlier run ends on.
        LocalDate contractEnd = LocalDate.of(2040, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(5000));
        LocalDate asOf = contractEnd.minusDays(15);
        String heavy = account("M-59", contractEnd, 2000, 31.0, 300, "sms");
        String light = account("M-99", contractEnd, 5000, 2.0, 100, "wechat");
        String moderate = account("M-59", contractEnd, 2000, 10.0, 500, "app");
        account("M-59", contractEnd.plusDays(1), 2000, 31.0, 300, "app");

        // Two replicas' passes at once: each contract is reminded by one of them.
        CompletableFuture<JsonPath> first = CompletableFuture.supplyAsync(() -> run(asOf));
        CompletableFuture<JsonPath> second = CompletableFuture.supplyAsync(() -> run(asOf));
        JsonPath a = first.get();
        JsonPath b = second.get();
        assertThat(a.getInt("contracts")).isEqualTo(3);
        assertThat(a.getInt("reminded") + b.getInt("reminded")).as("%s / %s", a.prettify(), b.prettify()).isEqualTo(3);
        assertThat(a.getInt("failed") + b.getInt("failed")).isZero();
        assertThat(run(asOf).getInt("alreadyReminded")).as("a pass run again reminds no one twice").isEqualTo(3);

        List<ConsumerRecord<String, String>> reminders = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> r.value() != null && r.value().contains("care-renewal")
                        && (r.value().contains(heavy) || r.value().contains(light) || r.value().contains(moderate)),
                4, Duration.ofSeconds(10));
        assertThat(reminders).as("one reminder per contract").hasSize(3);
        Map<String, JsonNode> byCustomer = new java.util.HashMap<>();
        for (ConsumerRecord<String, String> record : reminders) {
            JsonNode data = JSON.readTree(EventSchemaAssert.assertValidEvent(record).data());
            byCustomer.put(data.path("customerId").asText(), data);
        }
        assertThat(byCustomer.get(heavy).path("channel").asText()).isEqualTo("sms");
        assertThat(byCustomer.get(heavy).at("/parameters/offeredPackage").asText()).isEqualTo("M-99");
        assertThat(byCustomer.get(heavy).at("/parameters/message").asText()).contains("31 GB").contains("5G Plus 99");
        assertThat(byCustomer.get(light).path("channel").asText()).isEqualTo("wechat");
        assertThat(byCustomer.get(light).at("/parameters/offeredPackage").asText()).isEqualTo("M-59");
        assertThat(byCustomer.get(moderate).at("/parameters/offeredPackage").isMissingNode()).as("no change offered").isTrue();
        assertThat(byCustomer.get(moderate).at("/parameters/message").asText()).contains("renew");
        assertThat(CloudEventRecords.fromRecord(reminders.get(0)).type()).isEqualTo("NotificationRequested");

        JsonPath decision = given().auth().oauth2(ops).queryParam("customerId", heavy).get("/api/v1/automation/care/offers")
                .then().statusCode(200).extract().jsonPath();
        assertThat(decision.getList("$")).hasSize(1);
        assertThat(decision.getString("[0].outcome")).isEqualTo("upgrade");
        assertThat(decision.getString("[0].offeredPackage")).isEqualTo("M-99");
        assertThat(decision.getString("[0].ruleSetVersion")).isNotBlank();
        assertThat(decision.getDouble("[0].inputs.dataGbPerMonth")).isEqualTo(31.0);
        assertThat(decision.getList("[0].firedRules", String.class)).containsExactly("Heavy data users are offered the next package up");
    }

    @Test
    void onlyOperationsRunThePassAndABadDayIsRefused() {
        String customer = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
        given().auth().oauth2(customer).contentType(ContentType.JSON).body(Map.of("asOf", "2040-01-01"))
                .post("/api/v1/automation/care/runs").then().statusCode(403);
        for (String body : List.of("{}", "{\"asOf\":null}", "{\"asOf\":\"2040-13-01\"}", "{\"asOf\":\"2040-02-30\"}", "{\"asOf\":\"tomorrow\"}")) {
            given().auth().oauth2(ops).contentType(ContentType.JSON).body(body).post("/api/v1/automation/care/runs").then()
                    .statusCode(400).contentType("application/problem+json");
        }
    }
}
