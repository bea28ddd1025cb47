package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
 * The test plays the operator's SMS platform: messages a customer texts to the service number
 * (CX for progress, TS to complain, TD to opt out) and delivery receipts, signed as the platform
 * signs them; then forged, replayed and generated hostile calls.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class SmsChannelTest {

    @ConfigProperty(name = "gateway.sms.webhook-secret")
    String secret;

    @Test
    void keywordsAnswerProgressOpenAComplaintOnceAndOptOutAndReceiptsAreRecorded() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "138" + String.format("%08d", new Random().nextInt(100_000_000));
        given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Lin Fang " + suffix, "msisdn", msisdn, "appAccount", "sms-" + suffix,
                        "password", "Pw-" + suffix + "-sms", "region", "gz-haizhu"))
                .post("/api/v1/customers").then().statusCode(201);
        String app = KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, "sms-" + suffix, "Pw-" + suffix + "-sms"));
        SmsPlatformStub.RECEIVED.clear();

        inbound(msisdn, "CX", "q1-" + suffix).then().statusCode(200);
        assertThat(replyTo(msisdn)).contains("没有进行中的诉求");

        String complaint = "c1-" + suffix;
        inbound(msisdn, "TS 上月话费多扣了50元", complaint).then().statusCode(200).body("received", org.hamcrest.Matchers.equalTo(1));
        String accepted = replyTo(msisdn);
        assertThat(accepted).contains("已受理您的投诉");
        // The platform delivers the same message again: handled once, answered once.
        inbound(msisdn, "TS 上月话费多扣了50元", complaint).then().statusCode(200);
        List<Map<String, Object>> requests = given().auth().oauth2(app).get("/api/v1/requests").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).containsEntry("channel", "sms");
        String requestId = requests.get(0).get("requestId").toString();
        assertThat(accepted).contains(requestId.substring(0, 8));
        assertThat(SmsPlatformStub.RECEIVED.poll(2, TimeUnit.SECONDS)).as("no second reply").isNull();

        inbound(msisdn, "cx", "q2-" + suffix).then().statusCode(200);
        assertThat(replyTo(msisdn)).contains(requestId.substring(0, 8));

        inbound(msisdn, "TD", "td-" + suffix).then().statusCode(200);
        assertThat(replyTo(msisdn)).contains("已退订");

        // Receipts: the complaint's reply reached the handset; an unknown reference matches nothing.
        String receipts = "[{\"phone_number\":\"" + msisdn + "\",\"success\":true,\"err_code\":\"DELIVERED\",\"out_id\":\"sms-reply-"
                + complaint + "\",\"report_time\":\"2026-11-30 08:00:00\"},{\"phone_number\":\"" + msisdn
                + "\",\"success\":false,\"err_code\":\"UNKNOWN\",\"out_id\":\"not-ours-" + suffix + "\"}]";
        signed(receipts, Instant.now().getEpochSecond()).post("/channels/sms/receipts").then().statusCode(200)
                .body("matched", org.hamcrest.Matchers.equalTo(1));
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/gateway_test";
        try (var db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                var query = db.prepareStatement("SELECT outcome, receipt_code FROM notification_delivery WHERE notification_id = ?")) {
            query.setString(1, "sms-reply-" + complaint);
            try (var row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("delivered");
                assertThat(row.getString(2)).isEqualTo("DELIVERED");
            }
        }
    }

    @Test
    void forgedReplayedAndHostileCallsAreRefusedAndCreateNothing() throws Exception {
        String msisdn = "139" + String.format("%08d", new Random().nextInt(100_000_000));
        String body = "[{\"phone_number\":\"" + msisdn + "\",\"content\":\"TS 投诉\",\"sequence_id\":\"f1\"}]";
        long now = Instant.now().getEpochSecond();
        given().contentType(ContentType.JSON).body(body).header("X-Sms-Timestamp", String.valueOf(now))
                .header("X-Sms-Signature", WebhookSignature.sign("guessed-secret", String.valueOf(now), body))
                .post("/channels/sms/inbound").then().statusCode(401).contentType("application/problem+json");
        signed(body, now - 3600).post("/channels/sms/inbound").then().statusCode(401);
        given().contentType(ContentType.JSON).body(body).post("/channels/sms/inbound").then().statusCode(401);

        SmsPlatformStub.RECEIVED.clear();
        long seed = System.nanoTime();
        String template = "{\"phone_number\":\"" + msisdn + "\",\"content\":\"TS 网速慢\",\"sequence_id\":\"h1\"}";
        int calls = 0;
        for (HostilePayloads.Variant variant : HostilePayloads.of(template, List.of("phone_number", "content", "sequence_id"),
                40, seed)) {
            Response answer = signed("[" + variant.payload() + "]", now).post("/channels/sms/inbound");
            calls++;
            assertThat(answer.statusCode()).as("%s (seed %d)", variant.description(), seed).isLessThan(500);
        }
        for (String hostile : List.of("", "{}", "[1,2]", "[" + template + "]".repeat(2), "[" + (template + ",").repeat(101) + template + "]")) {
            Response answer = signed(hostile, now).post("/channels/sms/inbound");
            calls++;
            assertThat(answer.statusCode()).as(hostile.length() > 60 ? hostile.substring(0, 60) : hostile).isBetween(400, 499);
        }
        System.out.printf("%d hostile SMS platform calls, none a server error (seed %d)%n", calls, seed);
        // The number is nobody's: whatever got through opened nothing and at most got the keyword list.
        assertThat(SmsPlatformStub.RECEIVED).allSatisfy(sent -> assertThat(sent).doesNotContain("已受理"));
    }

    private Response inbound(String msisdn, String content, String id) {
        return ChannelCalls.smsInbound(secret, msisdn, content, id);
    }

    private io.restassured.specification.RequestSpecification signed(String body, long timestamp) {
        return ChannelCalls.smsSigned(secret, body, timestamp);
    }

    private static String replyTo(String msisdn) throws InterruptedException {
        String sent = SmsPlatformStub.RECEIVED.poll(10, TimeUnit.SECONDS);
        assertThat(sent).as("a reply by SMS").isNotNull().contains(msisdn);
        return sent;
    }
}
