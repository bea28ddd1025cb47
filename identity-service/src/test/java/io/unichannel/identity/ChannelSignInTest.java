package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import io.unichannel.identity.Customers.Registered;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One sign-on for every channel, on the real Keycloak: whichever way the customer is verified,
 * every channel's token carries the same subject and customer id.
 */
@QuarkusTest
class ChannelSignInTest {

    static String agentToken;

    @BeforeAll
    static void realm() {
        agentToken = Customers.agentToken();
    }

    @Test
    void signedInOnTheAppTheCustomerActsOnWebWechatAndHotlineWithoutVerifyingAgain() {
        Registered customer = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", customer.appUser());
        String subject = Tokens.claims(app).get("sub").asText();
        assertThat(Tokens.claims(app).get("customer_id").asText()).isEqualTo(customer.id());

        for (String channel : List.of("channel-web", "channel-wechat", "channel-hotline")) {
            String token = KeycloakTestSupport.exchange(app, channel);
            var claims = Tokens.claims(token);
            assertThat(claims.get("azp").asText()).isEqualTo(channel);
            assertThat(claims.get("sub").asText()).as("subject on " + channel).isEqualTo(subject);
            assertThat(claims.get("customer_id").asText()).isEqualTo(customer.id());
            // ... and the token works: the customer reads their own record on that channel.
            given().auth().oauth2(token).get("/api/v1/customers/me").then().statusCode(200)
                    .body("id", equalTo(customer.id())).body("msisdn", equalTo(customer.msisdn()));
        }
    }

    @Test
    void wechatAdapterSignsTheCustomerInWithTheOpenidAsTheSameSubject() {
        Registered customer = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", customer.appUser());
        String wechat = given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-wechat"))
                .contentType(ContentType.JSON).body(Map.of("openId", customer.wechatOpenId()))
                .post("/api/v1/sign-in/wechat").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).extract().path("access_token");
        assertThat(Tokens.claims(wechat).get("azp").asText()).isEqualTo("channel-wechat");
        assertThat(Tokens.claims(wechat).get("sub").asText()).isEqualTo(Tokens.claims(app).get("sub").asText());
        assertThat(Tokens.claims(wechat).get("customer_id").asText()).isEqualTo(customer.id());
        given().auth().oauth2(wechat).get("/api/v1/customers/me").then().statusCode(200).body("id", equalTo(customer.id()));

        // An openid nobody bound is not a customer; another channel's adapter may not use this flow.
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-wechat")).contentType(ContentType.JSON)
                .body(Map.of("openId", "oUnknownOpenId0001")).post("/api/v1/sign-in/wechat").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-hotline")).contentType(ContentType.JSON)
                .body(Map.of("openId", customer.wechatOpenId())).post("/api/v1/sign-in/wechat").then().statusCode(403);
        // A customer cannot mint tokens for themselves through the adapter flow.
        given().auth().oauth2(app).contentType(ContentType.JSON).body(Map.of("openId", customer.wechatOpenId()))
                .post("/api/v1/sign-in/wechat").then().statusCode(403);
    }

    @Test
    void counterSignInNeedsTheRightIdDocumentAndRecordsTheAgent() {
        Registered customer = Customers.register(agentToken);
        var agent = KeycloakTestSupport.createStaff("agent", "beijing");
        String counterAgent = KeycloakTestSupport.passwordToken("channel-store", agent);

        given().auth().oauth2(counterAgent).contentType(ContentType.JSON)
                .body(Map.of("msisdn", customer.msisdn(), "idDocument", Map.of("type", "resident-id", "number", "110101190001011234")))
                .post("/api/v1/sign-in/counter").then().statusCode(400)
                .body("type", equalTo("urn:unichannel:problem:verification-failed")).body("remainingAttempts", equalTo(4));

        String store = given().auth().oauth2(counterAgent).contentType(ContentType.JSON)
                .body(Map.of("msisdn", customer.msisdn(), "idDocument", Map.of("type", "resident-id", "number", customer.idNumber())))
                .post("/api/v1/sign-in/counter").then().statusCode(200).extract().path("access_token");
        assertThat(Tokens.claims(store).get("azp").asText()).isEqualTo("channel-store");
        assertThat(Tokens.claims(store).get("customer_id").asText()).isEqualTo(customer.id());
        String appSubject = Tokens.claims(KeycloakTestSupport.passwordToken("channel-app", customer.appUser())).get("sub").asText();
        assertThat(Tokens.claims(store).get("sub").asText()).isEqualTo(appSubject);

        given().auth().oauth2(agentToken).get("/api/v1/sign-in/audit/" + customer.id()).then().statusCode(200)
                .body("[0].flow", equalTo("counter-id-check")).body("[0].channel", equalTo("store"))
                .body("[0].agentName", equalTo(agent.username()));

        // The same agent on the staff console is not at a counter.
        given().auth().oauth2(KeycloakTestSupport.passwordToken("staff-console", agent)).contentType(ContentType.JSON)
                .body(Map.of("msisdn", customer.msisdn(), "idDocument", Map.of("type", "resident-id", "number", customer.idNumber())))
                .post("/api/v1/sign-in/counter").then().statusCode(403);
    }

    @Test
    void hotlineSignsInWithCallerNumberAndServicePassword() {
        Registered customer = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", customer.appUser());
        given().auth().oauth2(app).contentType(ContentType.JSON).body(Map.of("servicePassword", "246813"))
                .put("/api/v1/customers/" + customer.id() + "/service-password").then().statusCode(204);
        String hotlineAdapter = KeycloakTestSupport.serviceAccountToken("channel-hotline");

        given().auth().oauth2(hotlineAdapter).contentType(ContentType.JSON)
                .body(Map.of("msisdn", customer.msisdn(), "servicePassword", "111111"))
                .post("/api/v1/sign-in/service-password").then().statusCode(400)
                .body("type", equalTo("urn:unichannel:problem:verification-failed"));
        String hotline = given().auth().oauth2(hotlineAdapter).contentType(ContentType.JSON)
                .body(Map.of("msisdn", customer.msisdn(), "servicePassword", "246813"))
                .post("/api/v1/sign-in/service-password").then().statusCode(200).extract().path("access_token");
        assertThat(Tokens.claims(hotline).get("azp").asText()).isEqualTo("channel-hotline");
        assertThat(Tokens.claims(hotline).get("sub").asText()).isEqualTo(Tokens.claims(app).get("sub").asText());
    }
}
