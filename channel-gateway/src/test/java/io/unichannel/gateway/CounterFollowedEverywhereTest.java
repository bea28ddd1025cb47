package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.testing.Tokens;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import io.unichannel.gateway.wechat.WeChatXml;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Submit once, follow everywhere, across real adapters: a customer opens a request at the store
 * counter (the agent who checked their ID recorded), asks about it on WeChat and sees it in the
 * APP, learns the result by SMS (their preferred channel) with the handset's delivery receipt
 * recorded, and asks for the status by SMS keyword.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class CounterFollowedEverywhereTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ConfigProperty(name = "gateway.sms.webhook-secret")
    String smsSecret;
    @ConfigProperty(name = "gateway.wechat.token")
    String wechatToken;

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    @Test
    void aRequestOpenedAtTheCounterIsFollowedOnWeChatAndTheAppAndItsResultArrivesBySms() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "136" + String.format("%08d", new Random().nextInt(100_000_000));
        String idNumber = "44010619" + String.format("%02d", 50 + new Random().nextInt(40)) + "0512"
                + String.format("%03d", new Random().nextInt(1000)) + "X";
        String openId = "oWx" + suffix + "counter";
        given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Duan Yu " + suffix, "msisdn", msisdn, "idDocumentNumber", idNumber,
                        "appAccount", "dy-" + suffix, "password", "Pw-" + suffix + "-dy", "wechatOpenId", openId,
                        "preferredChannel", "sms", "region", "gz-tianhe"))
                .post("/api/v1/customers").then().statusCode(201);
        String app = KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, "dy-" + suffix, "Pw-" + suffix + "-dy"));

        // At the counter: the agent checks the ID and submits on the customer's behalf.
        TestUser agent = KeycloakTestSupport.createStaff("agent", "gz-tianhe");
        String agentAtCounter = KeycloakTestSupport.passwordToken("channel-store", agent);
        String session = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(agentAtCounter)
                .contentType(ContentType.JSON)
                .body(Map.of("msisdn", msisdn, "idDocument", Map.of("type", "resident-id", "number", idNumber)))
                .post("/api/v1/sign-in/counter").then().statusCode(200).extract().path("access_token");
        String requestId = given().auth().oauth2(session).header("X-Counter-Agent", "Bearer " + agentAtCounter)
                .contentType(ContentType.JSON)
                .body("{\"requestType\":\"businessRequest\",\"description\":\"办理宽带提速到1000M\",\"category\":\"broadband\"}")
                .post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
        String shortId = requestId.substring(0, 8);

        // On WeChat: the follower asks for progress and hears of the counter's request.
        String reply = WeChatXml.parse(ChannelCalls.wechatPlain(wechatToken, ChannelCalls.wechatMessage(openId, "text",
                "Content", "进度", "MsgId", String.valueOf(Math.abs(new Random().nextLong()))), Instant.now().getEpochSecond())
                .then().statusCode(200).extract().asString()).get("Content");
        assertThat(reply).contains(shortId);

        // In the APP: the same request, from the store channel.
        List<Map<String, Object>> onApp = given().auth().oauth2(app).get("/api/v1/requests").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(onApp).anySatisfy(r -> {
            assertThat(r.get("requestId")).isEqualTo(requestId);
            assertThat(r.get("channel")).isEqualTo("store");
        });

        // Resolved at noon: the customer prefers texts, so the result goes by SMS (not as a WeChat template).
        SmsPlatformStub.RECEIVED.clear();
        TestClock.set(LocalDate.now(SHANGHAI).atTime(LocalTime.NOON).atZone(SHANGHAI).toInstant());
        String ticketId = "TT-CTR-" + suffix;
        Notices.resolve(requestId, ticketId, Tokens.claims(app).get("customer_id").asText(), "store");
        String text = SmsPlatformStub.next(msisdn, 20);
        assertThat(text).as("the result by SMS").isNotNull().contains(msisdn).contains(shortId);
        // The platform's receipt matches the notice once the gateway has recorded it as sent.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "sent".equals(Notices.outcome("resolved:" + ticketId + ":sms")));
        String receipt = "[{\"phone_number\":\"" + msisdn + "\",\"success\":true,\"err_code\":\"DELIVERED\",\"out_id\":\"resolved:"
                + ticketId + ":sms\"}]";
        ChannelCalls.smsSigned(smsSecret, receipt, Instant.now().getEpochSecond()).post("/channels/sms/receipts")
                .then().statusCode(200).body("matched", equalTo(1));
        given().auth().oauth2(app).get("/api/v1/notifications").then().statusCode(200)
                .body("[0].channel", equalTo("sms")).body("[0].purpose", equalTo("resolution"))
                .body("[0].outcome", equalTo("delivered")).body("[0].receipt", equalTo("DELIVERED"));
        assertThat(Notices.outcome("resolved:" + ticketId + ":wechat:" + openId)).as("one channel, the preferred one").isNull();

        // By SMS keyword: the status of the counter's request.
        ChannelCalls.smsInbound(smsSecret, msisdn, "CX", "cx-" + suffix).then().statusCode(200);
        String status = SmsPlatformStub.next(msisdn, 10);
        assertThat(status).as("the status by SMS").isNotNull().contains(msisdn).contains(shortId);
    }
}
