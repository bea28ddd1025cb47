package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * At the store counter: an agent checks the customer's ID (identity-service's counter sign-in),
 * submits for them naming themselves, and the request carries the agent; the customer sees it on
 * the APP. Without the agent's own token, or with attributes that pretend to be the counter's,
 * nothing is submitted.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
class CounterTest {

    private static final String FAULT = "{\"requestType\":\"faultRepair\",\"description\":\"光猫红灯闪烁\",\"severity\":\"major\"}";

    @Test
    void theAgentAtTheCounterIsRecordedOnTheRequestTheCustomerSeesOnTheApp() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "135" + String.format("%08d", new Random().nextInt(100_000_000));
        String idNumber = "44010619" + String.format("%02d", 50 + new Random().nextInt(40)) + "0307" + String.format("%03d", new Random().nextInt(1000)) + "X";
        given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Qiao Feng " + suffix, "msisdn", msisdn, "idDocumentNumber", idNumber,
                        "appAccount", "ctr-" + suffix, "password", "Pw-" + suffix + "-ctr", "region", "gz-tianhe"))
                .post("/api/v1/customers").then().statusCode(201);
        TestUser agent = KeycloakTestSupport.createStaff("agent", "gz-tianhe");
        String agentAtCounter = KeycloakTestSupport.passwordToken("channel-store", agent);
        String session = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(agentAtCounter)
                .contentType(ContentType.JSON)
                .body(Map.of("msisdn", msisdn, "idDocument", Map.of("type", "resident-id", "number", idNumber)))
                .post("/api/v1/sign-in/counter").then().statusCode(200).extract().path("access_token");

        // Without naming the agent, or naming somebody who is no agent: nothing is submitted.
        given().auth().oauth2(session).contentType(ContentType.JSON).body(FAULT).post("/api/v1/requests")
                .then().statusCode(403).contentType("application/problem+json");
        String customerToken = KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, "ctr-" + suffix, "Pw-" + suffix + "-ctr"));
        given().auth().oauth2(session).header("X-Counter-Agent", "Bearer " + customerToken).contentType(ContentType.JSON)
                .body(FAULT).post("/api/v1/requests").then().statusCode(403);
        given().auth().oauth2(session).header("X-Counter-Agent", "Bearer not.a.token").contentType(ContentType.JSON)
                .body(FAULT).post("/api/v1/requests").then().statusCode(403);
        // A customer cannot pass a request off as the counter's.
        given().auth().oauth2(customerToken).contentType(ContentType.JSON)
                .body("{\"requestType\":\"complaint\",\"description\":\"x\",\"attributes\":{\"counterAgent\":\"agent-li\"}}")
                .post("/api/v1/requests").then().statusCode(400);

        String requestId = given().auth().oauth2(session).header("X-Counter-Agent", "Bearer " + agentAtCounter)
                .contentType(ContentType.JSON).body(FAULT).post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
        List<ConsumerRecord<String, String>> submitted = KafkaTestSupport.readMatching(Topics.CHANNEL_REQUESTS,
                r -> requestId.equals(r.key()), 1, Duration.ofSeconds(15));
        assertThat(submitted).hasSize(1);
        assertThat(submitted.get(0).value()).contains("\"channel\":\"store\"")
                .contains("\"counterAgent\":\"" + agent.username() + "\"").contains("\"counterAgentRegion\":\"gz-tianhe\"")
                .as("the grade is the agent's assessment at the counter").contains("\"severity\":\"major\"");

        List<Map<String, Object>> onApp = given().auth().oauth2(customerToken).get("/api/v1/requests").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(onApp).anySatisfy(r -> {
            assertThat(r.get("requestId")).isEqualTo(requestId);
            assertThat(r.get("channel")).isEqualTo("store");
        });
    }
}
