package io.unichannel.identity;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;

/** Test customers registered through the API, with fresh, unique phone numbers and accounts. */
final class Customers {

    /** A registered customer and the secrets the test knows. */
    record Registered(String id, String msisdn, String appAccount, String password, String wechatOpenId, String idNumber) {
        TestUser appUser() {
            return new TestUser(null, appAccount, password);
        }
    }

    private Customers() {
    }

    /** An agent's staff-console token, once identity-service has provisioned the realm. */
    static String agentToken() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        return KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "beijing"));
    }

    static String msisdn() {
        return "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    /**
     * An ID number shaped like a resident ID (18 characters), drawn from about 17 million so that the
     * hundreds a run registers do not collide (49,000 did: a birthday clash made a registration 409).
     */
    static String idNumber() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "110101" + "19" + String.format("%02d%02d%02d", random.nextInt(50, 100), random.nextInt(1, 13), random.nextInt(1, 29))
                + String.format("%03d", random.nextInt(1000)) + "X";
    }

    static Registered register(String staffToken) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = msisdn();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Li Lei " + suffix);
        body.put("msisdn", msisdn);
        body.put("valueTier", "gold");
        body.put("region", "beijing");
        body.put("preferredChannel", "app");
        body.put("appAccount", "app-" + suffix);
        body.put("webAccount", "web-" + suffix + "@example.test");
        body.put("password", "Pw-" + suffix + "-secret");
        body.put("wechatOpenId", "oWx" + suffix + "openid");
        String idNumber = idNumber();
        body.put("idDocumentNumber", idNumber);
        String id = given().auth().oauth2(staffToken).contentType(ContentType.JSON).body(body)
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        return new Registered(id, msisdn, "app-" + suffix, "Pw-" + suffix + "-secret", "oWx" + suffix + "openid", idNumber);
    }
}
