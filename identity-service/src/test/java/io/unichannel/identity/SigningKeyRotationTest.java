package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.identity.Customers.Registered;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Keycloak reads the sign-in assertion keys from identity-service's JWKS, so ops rotate the key
 * while customers sign in on the hotline and not one sign-in fails: the next key is published
 * before it signs (15 s in tests, 2 min by default) and the old one stays published until its
 * last assertion has expired.
 */
@QuarkusTest
class SigningKeyRotationTest {

    @Test
    void keysRotateTwiceDuringSignInsWithoutASingleFailure() throws Exception {
        String agent = Customers.agentToken();
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        Registered customer = Customers.register(agent);
        String app = KeycloakTestSupport.passwordToken("channel-app", customer.appUser());
        given().auth().oauth2(app).contentType(ContentType.JSON).body(Map.of("servicePassword", "580314"))
                .put("/api/v1/customers/" + customer.id() + "/service-password").then().statusCode(204);
        String hotline = KeycloakTestSupport.serviceAccountToken("channel-hotline");

        // The JWKS is public and holds the key signing now; rotation is for ops only.
        String first = signing(ops);
        assertThat(given().get("/api/v1/sign-in/jwks.json").then().statusCode(200).extract().jsonPath()
                .getList("keys.kid", String.class)).contains(first);
        given().get("/api/v1/sign-in/jwks.json").then().body("keys[0].kty", org.hamcrest.Matchers.equalTo("RSA"))
                .body("keys[0].alg", org.hamcrest.Matchers.equalTo("RS256"));
        given().auth().oauth2(agent).post("/api/v1/sign-in/signing-keys/rotation").then().statusCode(403);
        given().post("/api/v1/sign-in/signing-keys/rotation").then().statusCode(401);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger succeeded = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread signIns = new Thread(() -> {
            while (running.get()) {
                var response = given().auth().oauth2(hotline).contentType(ContentType.JSON)
                        .body(Map.of("msisdn", customer.msisdn(), "servicePassword", "580314"))
                        .post("/api/v1/sign-in/service-password");
                if (response.statusCode() == 200 && response.jsonPath().getString("access_token") != null) {
                    succeeded.incrementAndGet();
                } else {
                    failures.add(Instant.now() + " HTTP " + response.statusCode() + " " + response.asString());
                }
            }
        }, "sign-ins");
        signIns.start();
        try {
            String previous = first;
            for (int rotation = 1; rotation <= 2; rotation++) {
                JsonPath next = given().auth().oauth2(ops).post("/api/v1/sign-in/signing-keys/rotation")
                        .then().statusCode(202).extract().jsonPath();
                String kid = next.getString("kid");
                assertThat(kid).isNotEqualTo(previous);
                // Asking again while a rotation is under way returns the same next key.
                assertThat(given().auth().oauth2(ops).post("/api/v1/sign-in/signing-keys/rotation")
                        .then().statusCode(202).extract().path("kid").toString()).isEqualTo(kid);
                // Published at once, before it signs anything.
                assertThat(given().get("/api/v1/sign-in/jwks.json").then().extract().jsonPath()
                        .getList("keys.kid", String.class)).contains(previous, kid);
                assertThat(signing(ops)).isEqualTo(previous);
                Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                        .until(() -> kid.equals(signing(ops)));
                int before = succeeded.get();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> succeeded.get() >= before + 3);
                previous = kid;
            }
        } finally {
            running.set(false);
            signIns.join(30_000);
        }
        System.out.printf("Two key rotations during %d hotline sign-ins: %d failed%n", succeeded.get(), failures.size());
        assertThat(failures).isEmpty();
        assertThat(succeeded.get()).isGreaterThan(10);

        // The replaced keys stay published until their assertions have expired.
        List<Map<String, Object>> keys = given().auth().oauth2(ops).get("/api/v1/sign-in/signing-keys")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(keys).anySatisfy(k -> {
            assertThat(k.get("kid")).isEqualTo(first);
            assertThat(k.get("state")).isEqualTo("retiring");
            assertThat(k.get("retiresAt")).isNotNull();
        });
    }

    private static String signing(String ops) {
        List<Map<String, Object>> keys = given().auth().oauth2(ops).get("/api/v1/sign-in/signing-keys")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return keys.stream().filter(k -> "signing".equals(k.get("state"))).map(k -> (String) k.get("kid")).findFirst()
                .orElseThrow();
    }
}
