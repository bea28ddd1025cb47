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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A rule set in shadow mode decides and records, and does nothing else: the package is not
 * changed, the ticket is not resolved, it goes to an agent as if there were no rules, and the
 * decision reads back with mode shadow and the outcome the rules would have carried out.
 */
@QuarkusTest
@TestProfile(AutomationShadowTest.Shadow.class)
class AutomationShadowTest {

    public static class Shadow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticket.automation.mode.package-change", "shadow");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aShadowDecisionIsRecordedButNotCarriedOut() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String customer = "SH-" + UUID.randomUUID().toString().substring(0, 12);
        HttpClient http = HttpClient.newHttpClient();
        String account = JSON.writeValueAsString(Map.of("msisdn", "13900000001", "packageId", "M-59",
                "contractEndDate", LocalDate.now().plusMonths(6).toString(), "contractLocked", false, "balanceCents", 10_000,
                "preferredChannel", "app", "bill", Map.of("period", "2026-11", "totalCents", 5900, "items", List.of())));
        assertThat(http.send(HttpRequest.newBuilder(URI.create(BssSimulatorResource.url() + "/sim/accounts/" + customer))
                .PUT(HttpRequest.BodyPublishers.ofString(account)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        UUID requestId = UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.record(requestId.toString(), JSON.writeValueAsString(Map.of(
                "requestId", requestId.toString(), "channel", "app", "customerId", customer, "subject", customer,
                "requestType", "businessRequest", "description", "Upgrade please", "severity", "minor", "region", "gz-tianhe",
                "attributes", Map.of("intent", "packageChange", "targetPackage", "M-99"),
                "submittedAt", OffsetDateTime.now(ZoneOffset.UTC).toString()))));
        String ticket = await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(ops)
                .queryParam("relatedParty.id", customer).get("/tmf-api/troubleTicket/v5/troubleTicket").then().statusCode(200)
                .extract().jsonPath().<String>getList("id"), ids -> !ids.isEmpty()).get(0);

        JsonPath decision = await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(ops)
                .get("/api/v1/automation/tickets/" + ticket + "/decisions").then().statusCode(200).extract().jsonPath(),
                d -> !d.getList("$").isEmpty());
        assertThat(decision.getString("[0].mode")).isEqualTo("shadow");
        assertThat(decision.getString("[0].outcome")).isEqualTo("approved");
        assertThat(decision.getString("[0].action")).contains("not acted on");
        assertThat(given().auth().oauth2(ops).get("/tmf-api/troubleTicket/v5/troubleTicket/" + ticket).then().statusCode(200)
                .extract().path("status").toString()).isEqualTo("acknowledged");
        String changes = http.send(HttpRequest.newBuilder(URI.create(BssSimulatorResource.url() + "/sim/package-changes?customerId="
                + customer)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(changes).isEqualTo("[]");
        // Handed to routing as if there were no rules.
        await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().oauth2(ops)
                .get("/api/v1/work/tickets/" + ticket + "/routing").then().statusCode(200).extract().jsonPath().getList("$").size() > 0
                || BssSimulatorResource.queued(ticket));
    }
}
