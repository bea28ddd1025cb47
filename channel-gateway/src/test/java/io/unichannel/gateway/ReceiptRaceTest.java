package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SMS platform's delivery receipt can overtake its answer to the send: the receipt is recorded
 * all the same, and the answer that follows does not overwrite "delivered" with "sent".
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class ReceiptRaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/channels/sms/receipts")
    URI receipts;

    @ConfigProperty(name = "gateway.sms.webhook-secret")
    String secret;

    @AfterEach
    void plainPlatform() {
        SmsPlatformStub.beforeAnswer = body -> { };
        TestClock.reset();
    }

    @Test
    void aReceiptThatArrivesBeforeTheSendIsAnsweredIsKept() throws Exception {
        TestCustomers.Contact customer = TestCustomers.withNumber("134", "sms");
        String msisdn = customer.msisdn();
        String customerId = customer.id();
        // The platform delivers at once and posts the receipt before it answers the gateway's send.
        SmsPlatformStub.beforeAnswer = body -> {
            try {
                String reference = JSON.readTree(body).path("reference").asText();
                String receipt = "[{\"phone_number\":\"" + msisdn + "\",\"success\":true,\"err_code\":\"DELIVERED\",\"out_id\":\""
                        + reference + "\"}]";
                String now = String.valueOf(Instant.now().getEpochSecond());
                given().contentType(ContentType.JSON).body(receipt).header("X-Sms-Timestamp", now)
                        .header("X-Sms-Signature", WebhookSignature.sign(secret, now, receipt))
                        .post(receipts).then().statusCode(200).body("matched", org.hamcrest.Matchers.equalTo(1));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        };
        SmsPlatformStub.RECEIVED.clear();
        // Daytime, so the text is not held for the end of quiet hours.
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        TestClock.set(java.time.LocalDate.now(shanghai).atTime(10, 0).atZone(shanghai).toInstant());
        String ticketId = "TT-RACE-" + UUID.randomUUID().toString().substring(0, 8);
        Notices.resolve(UUID.randomUUID().toString(), ticketId, customerId, "store");
        assertThat(SmsPlatformStub.next(msisdn, 20)).as("the resolution texted").isNotNull();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "delivered".equals(Notices.outcome("resolved:" + ticketId + ":sms")));
        Thread.sleep(1000);
        assertThat(Notices.outcome("resolved:" + ticketId + ":sms")).as("the answer after the receipt changes nothing")
                .isEqualTo("delivered");
    }
}
