package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The test plays the contact centre's CTI: a call from a registered number becomes an interaction
 * linked to the customer (caller-id level), the IVR reads their requests' progress, the agent
 * takes the call; an unknown caller who hangs up in the queue is an abandoned call of nobody; staff
 * see a customer's interactions within their scope; forged, replayed and generated calls are refused.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
class HotlineChannelTest {

    @ConfigProperty(name = "gateway.cti.webhook-secret")
    String secret;

    @Test
    void aCallFromAKnownNumberIsAnInteractionOfTheCustomerAndTheIvrReadsTheirProgress() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "136" + String.format("%08d", new Random().nextInt(100_000_000));
        String customerId = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Huang Rong " + suffix, "msisdn", msisdn, "appAccount", "tel-" + suffix,
                        "password", "Pw-" + suffix + "-tel", "region", "gz-tianhe"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        String app = KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, "tel-" + suffix, "Pw-" + suffix + "-tel"));
        given().auth().oauth2(app).contentType(ContentType.JSON).body("{\"requestType\":\"faultRepair\",\"description\":\"无信号\"}")
                .post("/api/v1/requests").then().statusCode(202);

        String call = "call-" + suffix;
        event(Map.of("callId", call, "event", "started", "at", now(), "callerId", "+86" + msisdn)).then().statusCode(200);
        event(Map.of("callId", call, "event", "ivr", "at", now(), "ivrPath", "2-1")).then().statusCode(200);
        String spoken = signed("", Instant.now().getEpochSecond()).post("/channels/hotline/calls/" + call + "/status-text")
                .then().statusCode(200).extract().path("text");
        assertThat(spoken).contains("您最近有1个诉求").contains("已提交").doesNotContain(customerId);
        event(Map.of("callId", call, "event", "connected", "at", now(), "agent", "agent-li")).then().statusCode(200);
        event(Map.of("callId", call, "event", "ended", "at", now())).then().statusCode(200);

        List<Map<String, Object>> interactions = given().auth().oauth2(ops).queryParam("relatedParty.id", customerId)
                .get("/tmf-api/partyInteraction/v5/partyInteraction").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(interactions).hasSize(1);
        assertThat(interactions.get(0)).containsEntry("id", call).containsEntry("verification", "caller-id")
                .containsEntry("ivrPath", "2-1").containsEntry("agent", "agent-li").containsEntry("outcome", "connected");
        assertThat(interactions.get(0).get("callerMasked").toString()).doesNotContain(msisdn).contains("****");
        // Another region's agent: the customer is not in their scope.
        String haizhu = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz-haizhu"));
        given().auth().oauth2(haizhu).queryParam("relatedParty.id", customerId).get("/tmf-api/partyInteraction/v5/partyInteraction")
                .then().statusCode(404);
        given().auth().oauth2(app).queryParam("relatedParty.id", customerId).get("/tmf-api/partyInteraction/v5/partyInteraction")
                .then().statusCode(403);

        // An unknown caller who hangs up waiting: an abandoned call of nobody, and the IVR says so.
        String lost = "call-lost-" + suffix;
        event(Map.of("callId", lost, "event", "started", "at", now(), "callerId", "13000000000")).then().statusCode(200);
        assertThat(signed("", Instant.now().getEpochSecond()).post("/channels/hotline/calls/" + lost + "/status-text")
                .then().statusCode(200).extract().<String>path("text")).contains("尚未登记");
        event(Map.of("callId", lost, "event", "abandoned", "at", now())).then().statusCode(200);
        event(Map.of("callId", "never-started-" + suffix, "event", "ended", "at", now())).then().statusCode(400);

        // Connected and abandoned calls reach analytics on interaction-events (the connect rate), without numbers.
        var published = io.unichannel.common.testing.KafkaTestSupport.readMatching(
                io.unichannel.common.events.Topics.INTERACTION_EVENTS, r -> r.key().equals(call) || r.key().equals(lost), 3,
                Duration.ofSeconds(15));
        assertThat(published).hasSize(3);
        published.forEach(r -> {
            io.unichannel.common.testing.EventSchemaAssert.assertValidEvent(r);
            assertThat(r.value()).doesNotContain(msisdn).doesNotContain("13000000000");
        });
        assertThat(published).filteredOn(r -> r.key().equals(call)).extracting(r -> r.value()).anySatisfy(v ->
                assertThat(v).contains("\"state\":\"connected\"").contains("\"id\":\"" + customerId + "\"")
                        .contains("\"agent\":\"agent-li\"").contains("\"waitSeconds\":"));
        assertThat(published).filteredOn(r -> r.key().equals(lost)).extracting(r -> r.value()).singleElement().satisfies(v ->
                assertThat(v).contains("\"state\":\"abandoned\"").contains("\"relatedParty\":[]"));
        // The CTI sends the connect again: the same event id, so analytics counts it once.
        event(Map.of("callId", call, "event", "connected", "at", now(), "agent", "agent-li")).then().statusCode(200);
        var again = io.unichannel.common.testing.KafkaTestSupport.readMatching(io.unichannel.common.events.Topics.INTERACTION_EVENTS,
                r -> r.key().equals(call) && r.value().contains("\"state\":\"connected\""), 2, Duration.ofSeconds(15));
        assertThat(again).extracting(r -> new String(r.headers().lastHeader("ce_id").value(),
                java.nio.charset.StandardCharsets.UTF_8)).containsOnly(call + ":connected");
    }

    @Test
    void forgedReplayedAndHostileCtiCallsAreRefused() {
        String body = "{\"callId\":\"c1\",\"event\":\"started\",\"at\":\"" + now() + "\",\"callerId\":\"13800000000\"}";
        long ts = Instant.now().getEpochSecond();
        given().contentType(ContentType.JSON).body(body).header("X-Cti-Timestamp", String.valueOf(ts))
                .header("X-Cti-Signature", WebhookSignature.sign("guess", String.valueOf(ts), body))
                .post("/channels/hotline/events").then().statusCode(401).contentType("application/problem+json");
        signed(body, ts - 3600).post("/channels/hotline/events").then().statusCode(401);
        long seed = System.nanoTime();
        int calls = 0;
        for (HostilePayloads.Variant variant : HostilePayloads.of(body, List.of("callId", "event", "at", "callerId"), 40, seed)) {
            Response answer = signed(variant.payload(), ts).post("/channels/hotline/events");
            calls++;
            assertThat(answer.statusCode()).as("%s (seed %d)", variant.description(), seed).isLessThan(500);
        }
        for (String path : List.of("..%2Fx", "x".repeat(100), "%00")) {
            Response answer = signed("", ts).urlEncodingEnabled(false).post("/channels/hotline/calls/" + path + "/status-text");
            calls++;
            assertThat(answer.statusCode()).isBetween(400, 404);
        }
        System.out.printf("%d hostile CTI calls, none a server error (seed %d)%n", calls, seed);
    }

    private Response event(Map<String, String> event) {
        try {
            return signed(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(event), Instant.now().getEpochSecond())
                    .post("/channels/hotline/events");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private io.restassured.specification.RequestSpecification signed(String body, long timestamp) {
        return given().contentType(ContentType.JSON).body(body).header("X-Cti-Timestamp", String.valueOf(timestamp))
                .header("X-Cti-Signature", WebhookSignature.sign(secret, String.valueOf(timestamp), body));
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).toString();
    }
}
