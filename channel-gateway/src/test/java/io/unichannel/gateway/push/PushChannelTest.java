package io.unichannel.gateway.push;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import io.unichannel.gateway.Notices;
import io.unichannel.gateway.TestCustomers;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * APP push against a push provider on loopback that follows Huawei Push Kit's server API: the APP
 * registers its installations, a resolution reaches every one of them (after the provider's
 * traffic control is waited out), installations the provider no longer knows are forgotten, and
 * the customer's preferences decide whether push is used at all.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PushProviderStub.class, restrictToAnnotatedClass = true)
class PushChannelTest {

    /** A new customer registered with an APP account; their token on {@code client}. */
    private static String newCustomer(String client) {
        return TestCustomers.register(client, null, "gz-tianhe");
    }

    private static String register(String app, String platform, String token) {
        return given().auth().oauth2(app).contentType(ContentType.JSON)
                .body(Map.of("platform", platform, "pushToken", token, "appVersion", "5.2.1"))
                .post("/api/v1/devices").then().statusCode(201)
                .body("token", equalTo("..." + token.substring(token.length() - 4))).extract().path("id");
    }

    private static String customerId(String token) {
        return Tokens.claims(token).get("customer_id").asText();
    }

    @Test
    void aResolutionReachesEveryInstallationAndInstallationsTheProviderForgotAreDropped() throws Exception {
        String app = newCustomer("channel-app");
        String customer = customerId(app);
        String phone = "IQAAAACy0-phone-" + UUID.randomUUID();
        String tablet = "IQAAAACy0-tablet-" + UUID.randomUUID();
        register(app, "android", phone);
        register(app, "harmony", tablet);
        given().auth().oauth2(app).get("/api/v1/devices").then().statusCode(200).body("$", hasSize(2))
                .body("token.findAll { it.length() > 8 }", hasSize(0));

        // The provider is under traffic control for a while: the notice waits, then goes out once.
        PushProviderStub.FAIL_NEXT.set(3);
        String requestId = UUID.randomUUID().toString();
        String ticketId = "TT-PUSH-" + requestId.substring(0, 8);
        Notices.resolve(requestId, ticketId, customer, "app");
        JsonNode sent = awaitPushTo(phone);
        assertThat(sent.at("/message/token").toString()).contains(phone).contains(tablet);
        assertThat(sent.at("/message/notification/body").asText()).contains(requestId.substring(0, 8));
        assertThat(sent.at("/message/android/notification/click_action/intent").asText())
                .isEqualTo("unichannel://requests/" + requestId);
        assertThat(sent.at("/message/data").asText()).contains(requestId).contains("resolved");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(Notices.outcome("resolved:" + ticketId + ":app")));
        given().auth().oauth2(app).get("/api/v1/notifications").then().statusCode(200)
                .body("[0].channel", equalTo("app")).body("[0].outcome", equalTo("sent"));

        // Delivered again (a rebalance): nothing more is pushed.
        Notices.resolve(requestId, ticketId, customer, "app");
        assertThat(PushProviderStub.SENT.poll(3, TimeUnit.SECONDS)).isNull();

        // The tablet's APP was removed: the provider sends to the phone and names the tablet's token, which is forgotten.
        PushProviderStub.UNKNOWN.add(tablet);
        String second = "TT-PUSH2-" + requestId.substring(0, 8);
        Notices.resolve(UUID.randomUUID().toString(), second, customer, "app");
        awaitPushTo(phone);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> given().auth().oauth2(app).get("/api/v1/devices")
                .then().extract().jsonPath().getList("$").size() == 1);

        // Then the phone's too: push is refused, the notice reaches the customer nowhere and says so.
        PushProviderStub.UNKNOWN.add(phone);
        String third = "TT-PUSH3-" + requestId.substring(0, 8);
        Notices.resolve(UUID.randomUUID().toString(), third, customer, "app");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "unreachable".equals(Notices.outcome("resolved:" + third + ":none")));
        assertThat(Notices.outcome("resolved:" + third + ":app")).isEqualTo("refused");
        given().auth().oauth2(app).get("/api/v1/devices").then().statusCode(200).body("$", hasSize(0));
        assertThat(PushProviderStub.TOKENS_ISSUED.get()).as("the access token is kept, not fetched per message").isLessThanOrEqualTo(2);
    }

    @Test
    void theCustomersPreferencesDecideWhetherPushIsUsed() throws Exception {
        String app = newCustomer("channel-app");
        String token = "IQAAAACy0-muted-" + UUID.randomUUID();
        register(app, "ios", token);
        given().auth().oauth2(app).get("/api/v1/notification-preferences").then().statusCode(200)
                .body("mutedChannels", hasSize(0)).body("preferredChannel", equalTo(null));

        given().auth().oauth2(app).contentType(ContentType.JSON)
                .body(Map.of("preferredChannel", "wechat", "quietHours", Map.of("start", "21:30", "end", "07:30"),
                        "optOut", List.of("marketing"), "mutedChannels", List.of("app")))
                .put("/api/v1/notification-preferences").then().statusCode(200)
                .body("quietHours.start", equalTo("21:30")).body("mutedChannels[0]", equalTo("app"));
        given().auth().oauth2(app).get("/api/v1/notification-preferences").then().statusCode(200)
                .body("preferredChannel", equalTo("wechat")).body("optOut[0]", equalTo("marketing"))
                .body("quietHours.end", equalTo("07:30"));

        String ticketId = "TT-MUTE-" + UUID.randomUUID().toString().substring(0, 8);
        Notices.resolve(UUID.randomUUID().toString(), ticketId, customerId(app), "app");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "unreachable".equals(Notices.outcome("resolved:" + ticketId + ":none")));
        assertThat(Notices.outcome("resolved:" + ticketId + ":app")).as("push is muted").isNull();
        assertThat(PushProviderStub.SENT.stream().anyMatch(m -> m.toString().contains(token))).isFalse();

        // A muted preferred channel, or a window of no length, is refused and changes nothing.
        given().auth().oauth2(app).contentType(ContentType.JSON)
                .body(Map.of("preferredChannel", "app", "mutedChannels", List.of("app")))
                .put("/api/v1/notification-preferences").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(app).contentType(ContentType.JSON)
                .body(Map.of("quietHours", Map.of("start", "22:00", "end", "22:00")))
                .put("/api/v1/notification-preferences").then().statusCode(400);
        given().auth().oauth2(app).get("/api/v1/notification-preferences").then().statusCode(200)
                .body("preferredChannel", equalTo("wechat"));
    }

    @Test
    void hostileRegistrationsAndPreferencesAreRefusedAndChangeNothing() {
        String app = newCustomer("channel-app");
        String stranger = newCustomer("channel-app");
        String mine = register(app, "android", "IQAAAACy0-mine-" + UUID.randomUUID());
        long seed = System.nanoTime();
        String good = "{\"platform\":\"android\",\"pushToken\":\"IQAAAACy0-good-0123456789\",\"appVersion\":\"5.2.1\"}";
        for (HostilePayloads.Variant variant : HostilePayloads.of(good, List.of("platform", "pushToken", "appVersion"), 60, seed)) {
            if (variant.description().equals("without appVersion")) {
                continue; // the version is optional: leaving it out is a good registration
            }
            if (variant.description().startsWith("pushToken") && variant.payload().matches("\\{\"platform\":\"android\",\"pushToken\":\"[A-Za-z0-9._:\\-]{16,256}\",.*")) {
                continue; // a long run of letters (up to 256) is a real provider token's shape: a good registration
            }
            int status = given().auth().oauth2(app).contentType(ContentType.JSON).body(variant.payload())
                    .post("/api/v1/devices").then().extract().statusCode();
            assertThat(status).as("%s (seed %d)", variant.description(), seed).isBetween(400, 499);
        }
        given().auth().oauth2(app).get("/api/v1/devices").then().body("$", hasSize(1));

        String goodPreferences = "{\"preferredChannel\":\"sms\",\"quietHours\":{\"start\":\"22:00\",\"end\":\"08:00\"},"
                + "\"optOut\":[\"survey\"],\"mutedChannels\":[\"wechat\"]}";
        for (HostilePayloads.Variant variant : HostilePayloads.of(goodPreferences,
                List.of("preferredChannel", "quietHours", "optOut", "mutedChannels"), 60, seed)) {
            if (variant.description().startsWith("without")) {
                continue; // every field is optional
            }
            int status = given().auth().oauth2(app).contentType(ContentType.JSON).body(variant.payload())
                    .put("/api/v1/notification-preferences").then().extract().statusCode();
            assertThat(status).as("%s (seed %d)", variant.description(), seed).isBetween(400, 499);
        }
        given().auth().oauth2(app).get("/api/v1/notification-preferences").then().statusCode(200)
                .body("updatedAt", equalTo(null));

        // Another customer cannot remove it; only the APP registers; the owner can.
        given().auth().oauth2(stranger).delete("/api/v1/devices/" + mine).then().statusCode(404);
        given().auth().oauth2(app).delete("/api/v1/devices/not-a-uuid").then().statusCode(404);
        String store = KeycloakTestSupport.passwordToken("channel-web", KeycloakTestSupport.createUser("customer"));
        given().auth().oauth2(store).contentType(ContentType.JSON).body(good).post("/api/v1/devices").then().statusCode(403);
        given().auth().oauth2(app).delete("/api/v1/devices/" + mine).then().statusCode(204);
        given().auth().oauth2(app).get("/api/v1/devices").then().body("$", hasSize(0));
    }

    private static JsonNode awaitPushTo(String token) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode sent = PushProviderStub.SENT.poll(1, TimeUnit.SECONDS);
            if (sent != null && sent.at("/message/token").toString().contains(token)) {
                return sent;
            }
        }
        throw new AssertionError("nothing pushed to " + token);
    }
}
