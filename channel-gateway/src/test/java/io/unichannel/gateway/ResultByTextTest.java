package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A customer who prefers texts learns of a resolution by SMS; at 23:30 (the gateway's clock set to
 * the night) the text is held, and it goes out once the clock reaches 08:00; the platform's
 * delivery receipt is recorded against it; the same resolution delivered again sends nothing more.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class ResultByTextTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ConfigProperty(name = "gateway.sms.webhook-secret")
    String webhookSecret;

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    @Test
    void aResolutionAtNightIsTextedInTheMorningAndItsReceiptRecorded() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "137" + String.format("%08d", new Random().nextInt(100_000_000));
        String customerId = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Guo Jing " + suffix, "msisdn", msisdn, "preferredChannel", "sms", "region", "gz-yuexiu",
                        "appAccount", "gj-" + suffix, "password", "Pw-" + suffix + "-gj"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        SmsPlatformStub.RECEIVED.clear();

        LocalDate today = LocalDate.now(SHANGHAI);
        TestClock.set(today.atTime(LocalTime.of(23, 30)).atZone(SHANGHAI).toInstant());
        String requestId = UUID.randomUUID().toString();
        String ticketId = "TT-SMS-" + suffix;
        Notices.resolve(requestId, ticketId, customerId, "store");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "held".equals(Notices.outcome("resolved:" + ticketId + ":sms")));
        assertThat(SmsPlatformStub.next(msisdn, 3)).as("nothing at night").isNull();

        TestClock.set(today.plusDays(1).atTime(LocalTime.of(8, 1)).atZone(SHANGHAI).toInstant());
        String sent = SmsPlatformStub.next(msisdn, 20);
        assertThat(sent).as("texted in the morning").isNotNull().contains(msisdn).contains(requestId.substring(0, 8))
                .contains("resolved:" + ticketId + ":sms");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(Notices.outcome("resolved:" + ticketId + ":sms")));

        String receipt = "[{\"phone_number\":\"" + msisdn + "\",\"success\":true,\"err_code\":\"DELIVERED\",\"out_id\":\"resolved:"
                + ticketId + ":sms\"}]";
        String now = String.valueOf(Instant.now().getEpochSecond());
        given().contentType(ContentType.JSON).body(receipt).header("X-Sms-Timestamp", now)
                .header("X-Sms-Signature", WebhookSignature.sign(webhookSecret, now, receipt))
                .post("/channels/sms/receipts").then().statusCode(200).body("matched", org.hamcrest.Matchers.equalTo(1));
        assertThat(Notices.outcome("resolved:" + ticketId + ":sms")).isEqualTo("delivered");

        // The customer sees the notice and its receipt.
        String app = KeycloakTestSupport.passwordToken("channel-app",
                new KeycloakTestSupport.TestUser(null, "gj-" + suffix, "Pw-" + suffix + "-gj"));
        given().auth().oauth2(app).get("/api/v1/notifications").then().statusCode(200)
                .body("[0].channel", org.hamcrest.Matchers.equalTo("sms"))
                .body("[0].purpose", org.hamcrest.Matchers.equalTo("resolution"))
                .body("[0].outcome", org.hamcrest.Matchers.equalTo("delivered"))
                .body("[0].receipt", org.hamcrest.Matchers.equalTo("DELIVERED"));

        // The same resolution again (a redelivery): no second text.
        Notices.resolve(requestId, ticketId, customerId, "store");
        assertThat(SmsPlatformStub.next(msisdn, 4)).isNull();
    }
}
