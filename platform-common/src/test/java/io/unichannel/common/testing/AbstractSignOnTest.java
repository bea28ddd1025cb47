package io.unichannel.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;

import io.restassured.response.ValidatableResponse;
import io.unichannel.common.security.Roles;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sign-on contract every service keeps, checked against the real Keycloak: a token Keycloak
 * issued for a channel is accepted; a missing, expired, forged, unsigned or wrong-audience token
 * is refused with a 401 problem. A service's test extends this and is annotated {@code @QuarkusTest}.
 */
public abstract class AbstractSignOnTest {

    private static final String SESSION = "/api/v1/session";

    protected static TestUser customer;
    protected static String appToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        customer = KeycloakTestSupport.createUser(Roles.CUSTOMER);
        appToken = KeycloakTestSupport.passwordToken("channel-app", customer);
    }

    @Test
    void acceptsATokenKeycloakIssuedOnAChannel() {
        given().auth().oauth2(appToken)
                .when().get(SESSION)
                .then().statusCode(200)
                .body("subject", equalTo(customer.id()))
                .body("username", equalTo(customer.username()))
                .body("channel", equalTo("app"))
                .body("roles", hasItem(Roles.CUSTOMER));
    }

    @Test
    void refusesARequestWithoutAToken() {
        assertProblem401(given().when().get(SESSION).then());
    }

    @Test
    void refusesAForgedToken() {
        assertProblem401(given().auth().oauth2(Tokens.forgedSubject(appToken, "someone-else"))
                .when().get(SESSION).then());
    }

    @Test
    void refusesAnUnsignedAlgNoneToken() {
        assertProblem401(given().auth().oauth2(Tokens.unsigned(appToken)).when().get(SESSION).then());
    }

    @Test
    void refusesATokenNotMeantForThePlatformServices() {
        // admin-cli exists in every realm; its tokens carry none of the platform services as audience.
        String token = KeycloakTestSupport.passwordToken("admin-cli", customer);
        assertThat(Tokens.claims(token).path("aud").toString()).doesNotContain("-service", "channel-gateway");
        assertProblem401(given().auth().oauth2(token).when().get(SESSION).then());
    }

    @Test
    void refusesAnExpiredToken() {
        String expired = KeycloakTestSupport.expiredToken(customer);
        assertProblem401(given().auth().oauth2(expired).when().get(SESSION).then());
    }

    /**
     * Generated malformed credentials (not a JWT, broken base64, wrong part counts, binary junk,
     * odd schemes): every one gets a 401 problem, never a 5xx. On the main of 2026-11-22 a malformed
     * bearer token got 500 from every service.
     */
    @Test
    void refusesGeneratedMalformedCredentialsWith401() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of("Bearer", "Bearer ", "Bearer a",
                "Bearer a.b", "Bearer a.b.c", "Bearer ...", "Bearer a.b.c.d.e", "Bearer " + "x".repeat(6000),
                "Bearer eyJhbGciOiJSUzI1NiJ9.%%%.sig", "Bearer " + appToken.substring(0, appToken.length() / 2),
                "Bearer " + appToken.replace('.', '!'), "Basic dXNlcjpwYXNz", "bearer " + appToken + "x"));
        String alphabet = "ABCxyz019-_.=+/%!~ ";
        for (int i = 0; i < 40; i++) {
            StringBuilder junk = new StringBuilder("Bearer ");
            for (int j = random.nextInt(300); j > 0; j--) {
                junk.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(junk.toString().stripTrailing());
        }
        for (String value : values) {
            var response = given().header("Authorization", value).when().get(SESSION).then();
            int status = response.extract().statusCode();
            org.assertj.core.api.Assertions.assertThat(status)
                    .as("Authorization '%s...' (seed %d)", value.substring(0, Math.min(40, value.length())), seed)
                    .isEqualTo(401);
            response.contentType("application/problem+json");
        }
    }

    private static void assertProblem401(ValidatableResponse response) {
        response.statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("urn:unichannel:problem:unauthenticated"));
    }
}
