package io.unichannel.gateway;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.gateway.wechat.IdentityServiceResource;

/** Customers registered in identity-service (running beside the gateway), signed in on a channel. */
public final class TestCustomers {

    private static volatile String ops;

    private TestCustomers() {
    }

    /** Registers a customer with an APP account and returns their token on {@code client}. */
    public static String register(String client, String valueTier, String region) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of("name", "Huang Rong " + suffix,
                "msisdn", "139" + String.format("%08d", new Random().nextInt(100_000_000)), "region", region,
                "appAccount", "hr-" + suffix, "password", "Pw-" + suffix + "-hr"));
        if (valueTier != null) {
            body.put("valueTier", valueTier);
        }
        given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops()).contentType(ContentType.JSON)
                .body(body).post("/api/v1/customers").then().statusCode(201);
        return KeycloakTestSupport.passwordToken(client, new KeycloakTestSupport.TestUser(null, "hr-" + suffix, "Pw-" + suffix + "-hr"));
    }

    /** A customer known by their number: their id and number, with the channel they prefer. */
    public record Contact(String id, String msisdn, String appAccount, String password) {

        /** Their token on {@code client} (channel-app, say). */
        public String token(String client) {
            return KeycloakTestSupport.passwordToken(client, new KeycloakTestSupport.TestUser(null, appAccount, password));
        }
    }

    /** Registers a customer who prefers {@code preferredChannel}; the number is a fresh one with this prefix. */
    public static Contact withNumber(String prefix, String preferredChannel) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = prefix + String.format("%08d", new Random().nextInt(100_000_000));
        String id = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops()).contentType(ContentType.JSON)
                .body(Map.of("name", "Guo Jing " + suffix, "msisdn", msisdn, "preferredChannel", preferredChannel,
                        "region", "gz-yuexiu", "appAccount", "gj-" + suffix, "password", "Pw-" + suffix + "-gj"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        return new Contact(id, msisdn, "gj-" + suffix, "Pw-" + suffix + "-gj");
    }

    private static String ops() {
        if (ops == null) {
            KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
            ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        }
        return ops;
    }
}
