package io.unichannel.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What ops teams rely on from every service, checked against the real infrastructure: liveness,
 * readiness that reports each dependency, Prometheus metrics and the OpenAPI document. A service's
 * test extends this, is annotated {@code @QuarkusTest} and names the readiness checks it must show.
 */
public abstract class AbstractServiceEndpointsTest {

    /** Fragments of the names of the readiness checks this service must report UP (e.g. "Kafka"). */
    protected abstract List<String> requiredReadinessChecks();

    @Test
    void readinessReportsEveryDependencyUp() {
        // A service may need a moment after start-up (e.g. the gateway reading the request history).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
        var response = given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")));
        for (String check : requiredReadinessChecks()) {
            response.body("checks.name", hasItem(containsString(check)));
        }
    }

    @Test
    void livenessIsPublicAndUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsArePublishedForPrometheus() {
        given().when().get("/api/v1/session").then().statusCode(401);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("http_server_requests_seconds_count{"))
                .body(containsString("uri=\"/api/v1/session\""));
    }

    @Test
    void openApiDescribesTheSecuredApi() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/session"))
                .body("components.securitySchemes", hasKey("SecurityScheme"));
    }

    @Test
    void unknownPathsAnswerWithAProblem() {
        given().auth().oauth2(KeycloakTestSupport.passwordToken("channel-app", sessionUser()))
                .when().get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    private static KeycloakTestSupport.TestUser user;

    private static synchronized KeycloakTestSupport.TestUser sessionUser() {
        if (user == null) {
            KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
            user = KeycloakTestSupport.createUser(io.unichannel.common.security.Roles.CUSTOMER);
        }
        return user;
    }
}
