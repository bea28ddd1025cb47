package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.identity.Customers.Registered;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registering customers and binding their channel identities; each customer sees only themself. */
@QuarkusTest
class CustomerRegistryTest {

    static String agentToken;

    @BeforeAll
    static void realm() {
        agentToken = Customers.agentToken();
    }

    @Test
    void registeredCustomerHasMaskedIdentitiesAndCanBindAndUnbind() {
        Registered c = Customers.register(agentToken);
        String masked = c.msisdn().substring(0, 3) + "****" + c.msisdn().substring(7);
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + c.id()).then().statusCode(200)
                .body("msisdnMasked", equalTo(masked)).body("msisdn", nullValue()).body("valueTier", equalTo("gold"));
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + c.id() + "/identities").then().statusCode(200)
                .body("identityType", hasItem("idDocument")).body("externalIdMasked", hasItem(masked))
                .body("externalIdMasked", not(hasItem(c.idNumber())));

        String app = KeycloakTestSupport.passwordToken("channel-app", c.appUser());
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", "beijing"));
        String unionId = "oUnion" + c.id();
        String bindingId = given().auth().oauth2(supervisor).contentType(ContentType.JSON)
                .body(Map.of("identityType", "wechatUnionId", "externalId", unionId, "reason", "Shown at the counter"))
                .post("/api/v1/customers/" + c.id() + "/identities").then().statusCode(201).extract().path("id");
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-wechat"))
                .queryParam("type", "wechatUnionId").queryParam("externalId", unionId).get("/api/v1/resolve")
                .then().statusCode(200).body("customerId", equalTo(c.id()));

        // Someone else's identity cannot be bound; the primary number and the sign-in account cannot be unbound.
        Registered other = Customers.register(agentToken);
        given().auth().oauth2(supervisor).contentType(ContentType.JSON)
                .body(Map.of("identityType", "wechatOpenId", "externalId", other.wechatOpenId(), "reason", "typo test"))
                .post("/api/v1/customers/" + c.id() + "/identities").then().statusCode(409).contentType("application/problem+json");

        given().auth().oauth2(app).delete("/api/v1/customers/" + c.id() + "/identities/" + bindingId).then().statusCode(204);
        given().auth().oauth2(agentToken).queryParam("type", "wechatUnionId").queryParam("externalId", unionId)
                .get("/api/v1/resolve").then().statusCode(404);
    }

    @Test
    void concurrentRegistrationsOfOneNumberMakeOneCustomer() throws Exception {
        String msisdn = Customers.msisdn();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String account = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            answers.add(pool.submit(() -> given().auth().oauth2(agentToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "Race Twin", "msisdn", msisdn, "appAccount", account, "password", "Race-pw-123"))
                    .post("/api/v1/customers").then().extract().statusCode()));
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        org.assertj.core.api.Assertions.assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        given().auth().oauth2(agentToken).queryParam("type", "msisdn").queryParam("externalId", msisdn)
                .get("/api/v1/resolve").then().statusCode(200);
        // The losers' Keycloak accounts were removed again: only one customer account carries the number.
        org.assertj.core.api.Assertions.assertThat(KeycloakTestSupport.adminGet("/users?q=msisdn:" + msisdn).size()).isEqualTo(1);
    }

    @Test
    void aCustomerSeesOnlyThemself() {
        Registered c = Customers.register(agentToken);
        Registered other = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", c.appUser());
        given().auth().oauth2(app).get("/api/v1/customers/" + other.id()).then().statusCode(404);
        given().auth().oauth2(app).get("/api/v1/customers/" + other.id() + "/identities").then().statusCode(404);
        given().auth().oauth2(app).contentType(ContentType.JSON).body(Map.of("identityType", "wechatUnionId", "externalId", "oSteal01"))
                .post("/api/v1/customers/" + other.id() + "/identities").then().statusCode(404);
        given().auth().oauth2(app).queryParam("type", "msisdn").queryParam("externalId", other.msisdn())
                .get("/api/v1/resolve").then().statusCode(403);
        given().auth().oauth2(app).contentType(ContentType.JSON).body(Map.of("name", "Me Again", "msisdn", Customers.msisdn()))
                .post("/api/v1/customers").then().statusCode(403);
    }

    @Test
    void invalidRegistrationsAreProblemsAndCreateNothing() {
        given().auth().oauth2(agentToken).contentType(ContentType.JSON).body(Map.of("name", "No Phone"))
                .post("/api/v1/customers").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(agentToken).contentType(ContentType.JSON)
                .body(Map.of("name", "Bad Tier", "msisdn", Customers.msisdn(), "valueTier", "diamond"))
                .post("/api/v1/customers").then().statusCode(400).body("errors.field", hasItem("valueTier"));
        Registered c = Customers.register(agentToken);
        // The same phone number cannot register twice; the Keycloak account of the failed attempt is not left behind.
        given().auth().oauth2(agentToken).contentType(ContentType.JSON)
                .body(Map.of("name", "Twin", "msisdn", c.msisdn(), "appAccount", "twin-" + c.id().toLowerCase()))
                .post("/api/v1/customers").then().statusCode(409);
        given().auth().oauth2(agentToken).queryParam("type", "appAccount").queryParam("externalId", "twin-" + c.id().toLowerCase())
                .get("/api/v1/resolve").then().statusCode(404);
        org.assertj.core.api.Assertions.assertThat(KeycloakTestSupport.adminGet("/users?exact=true&username=twin-"
                + c.id().toLowerCase()).size()).isZero();
    }
}
