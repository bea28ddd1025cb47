package io.unichannel.gateway;

import io.unichannel.common.testing.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hotline sign-in by one-time code, end to end: identity-service issues the code, the gateway
 * takes it off the notifications topic and hands it to the SMS platform, the caller reads it out
 * to the IVR, and the IVR gets a hotline token for the customer.
 */
@QuarkusTest
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class OneTimeCodeDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("验证码是([0-9]{6})");

    static ServiceProcess identityService;

    @BeforeAll
    static void start() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        identityService = ServiceProcess.identityService().start();
    }

    @AfterAll
    static void stop() {
        if (identityService != null) {
            identityService.close();
        }
    }

    @Test
    void theCodeReachesThePhoneThroughTheGatewayAndSignsTheCallerIn() throws Exception {
        String agent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("agent"));
        String msisdn = "136" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String customerId = given().baseUri(identityService.baseUrl()).auth().oauth2(agent).contentType(ContentType.JSON)
                .body(Map.of("name", "Wei Dong " + suffix, "msisdn", msisdn, "appAccount", "sms-" + suffix, "password", "Pw-" + suffix + "-x"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");

        String ivr = KeycloakTestSupport.serviceAccountToken("channel-hotline");
        String challenge = given().baseUri(identityService.baseUrl()).auth().oauth2(ivr).contentType(ContentType.JSON)
                .body(Map.of("msisdn", msisdn)).post("/api/v1/sign-in/one-time-codes").then().statusCode(201)
                .extract().path("challengeId");

        JsonNode sms = awaitSmsTo(msisdn, Duration.ofSeconds(30));
        Matcher code = CODE.matcher(sms.get("text").asText());
        assertThat(code.find()).as("the SMS text carries the code: " + sms).isTrue();

        String token = given().baseUri(identityService.baseUrl()).auth().oauth2(ivr).contentType(ContentType.JSON)
                .body(Map.of("code", code.group(1))).post("/api/v1/sign-in/one-time-codes/" + challenge)
                .then().statusCode(200).extract().path("access_token");
        assertThat(Tokens.claims(token).get("azp").asText()).isEqualTo("channel-hotline");
        assertThat(Tokens.claims(token).get("customer_id").asText()).isEqualTo(customerId);
        // ... and the gateway accepts it: the caller's requests, from the hotline.
        given().auth().oauth2(token).get("/api/v1/requests").then().statusCode(200);
    }

    /**
     * The SMS platform is down for the first calls: the gateway keeps trying (bounded calls, growing
     * pauses) and the code is delivered once it is back, exactly once.
     */
    @Test
    void aProviderOutageIsWaitedOutAndTheCodeIsSentExactlyOnce() throws Exception {
        String agent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("agent"));
        String msisdn = "137" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        given().baseUri(identityService.baseUrl()).auth().oauth2(agent).contentType(ContentType.JSON)
                .body(Map.of("name", "Lin Feng " + suffix, "msisdn", msisdn, "appAccount", "out-" + suffix,
                        "password", "Pw-" + suffix + "-x"))
                .post("/api/v1/customers").then().statusCode(201);
        SmsPlatformStub.FAIL_NEXT.set(4);
        int callsBefore = SmsPlatformStub.CALLS.get();
        String ivr = KeycloakTestSupport.serviceAccountToken("channel-hotline");
        given().baseUri(identityService.baseUrl()).auth().oauth2(ivr).contentType(ContentType.JSON)
                .body(Map.of("msisdn", msisdn)).post("/api/v1/sign-in/one-time-codes").then().statusCode(201);

        JsonNode sms = awaitSmsTo(msisdn, Duration.ofSeconds(60));
        assertThat(SmsPlatformStub.CALLS.get() - callsBefore).as("calls during the outage, then the delivery")
                .isGreaterThanOrEqualTo(5);
        assertThat(sms.get("reference").asText()).isNotBlank();
        // No second delivery of the same notification follows.
        Instant quiet = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(quiet)) {
            String again = SmsPlatformStub.RECEIVED.poll(500, TimeUnit.MILLISECONDS);
            if (again != null) {
                assertThat(JSON.readTree(again).get("reference").asText()).isNotEqualTo(sms.get("reference").asText());
            }
        }
    }

    /**
     * Generated hostile notifications (control characters, invalid Unicode, over-long values, wrong
     * types, missing fields, broken documents, unopenable seals) are skipped; a good one sent after
     * them is still delivered within seconds.
     */
    @Test
    void hostileNotificationsAreSkippedAndAGoodOneIsStillDelivered() throws Exception {
        long seed = System.nanoTime();
        io.unichannel.common.privacy.SealedSecrets seal = new io.unichannel.common.privacy.SealedSecrets(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("platform.notification-seal-key", String.class));
        String msisdn = "135" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
        String good = JSON.writeValueAsString(Map.of("notificationId", UUID.randomUUID().toString(), "customerId", "C-n",
                "channel", "sms", "template", "one-time-code",
                "parameters", Map.of("codeSealed", seal.seal("246810"), "toSealed", seal.seal(msisdn), "msisdnMasked", "135****"),
                "requestedAt", java.time.OffsetDateTime.now().toString(),
                "expiresAt", java.time.OffsetDateTime.now().plusMinutes(5).toString()));
        for (var variant : io.unichannel.common.testing.HostilePayloads.of(good,
                java.util.List.of("notificationId", "channel", "template", "parameters", "expiresAt"), 40, seed)) {
            // Each copy has its own id, so the good one is never taken for one of them.
            send(variant.payload().replace("\"notificationId\":\"", "\"notificationId\":\"x"));
        }
        send(good);
        JsonNode sms = awaitSmsTo(msisdn, Duration.ofSeconds(30));
        assertThat(sms.get("text").asText()).as("seed %d", seed).contains("246810");
    }

    private static void send(String payload) {
        var event = io.unichannel.common.events.CloudEvent.of("/unichannel/identity-service",
                io.unichannel.common.events.EventTypes.NOTIFICATION_REQUESTED, "C-n", payload);
        io.unichannel.common.testing.KafkaTestSupport.send(io.unichannel.common.events.CloudEventRecords.toRecord(
                io.unichannel.common.events.Topics.NOTIFICATIONS, "C-n", event));
    }

    private static JsonNode awaitSmsTo(String msisdn, Duration wait) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            String body = SmsPlatformStub.RECEIVED.poll(500, TimeUnit.MILLISECONDS);
            if (body != null) {
                JsonNode sms = JSON.readTree(body);
                if (msisdn.equals(sms.get("to").asText())) {
                    return sms;
                }
            }
        }
        throw new AssertionError("no SMS to the customer's number within " + wait);
    }
}
