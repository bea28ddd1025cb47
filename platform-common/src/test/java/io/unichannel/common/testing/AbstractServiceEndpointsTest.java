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

    /**
     * Every operation the service's OpenAPI document lists, called by a customer and by ops staff
     * with generated hostile path values and bodies (control characters, invalid Unicode,
     * over-long values, wrong types, missing fields, broken documents): never a 5xx, and every
     * error is an RFC 9457 problem. The bodies attack the properties the document declares.
     */
    @Test
    void noHostileInputOnAnyOperationYieldsAServerError() throws Exception {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode api = json.readTree(given().accept("application/json").when()
                .get("/q/openapi").then().statusCode(200).extract().asString());
        List<String> tokens = List.of(KeycloakTestSupport.passwordToken("channel-app", sessionUser()),
                KeycloakTestSupport.passwordToken("staff-console", staffUser()));
        List<String> hostileSegments = List.of("..%2F..%2Fetc", "%00", "x".repeat(3000), "%E2%80%AE", "%F0%9F%98%80",
                "'%20OR%201=1--", "-1", "99999999999999999999", "%ED%A0%80");
        int calls = 0;
        var paths = api.path("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            var operations = path.getValue().fields();
            while (operations.hasNext()) {
                var operation = operations.next();
                String method = operation.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String template = path.getKey();
                boolean stream = operation.getValue().toString().contains("text/event-stream");
                if (stream && !template.contains("{")) {
                    continue; // an open stream of one's own never ends; streams by id are fuzzed below
                }
                List<String> fields = new java.util.ArrayList<>();
                com.fasterxml.jackson.databind.JsonNode schema = operation.getValue()
                        .at("/requestBody/content").elements().hasNext()
                        ? operation.getValue().at("/requestBody/content").elements().next().path("schema")
                        : json.nullNode();
                if (schema.has("$ref")) {
                    schema = api.at(schema.get("$ref").asText().substring(1));
                }
                schema.path("properties").fieldNames().forEachRemaining(fields::add);
                if (fields.isEmpty()) {
                    fields.add("value");
                }
                List<HostilePayloads.Variant> bodies = method.equals("GET") || method.equals("DELETE") ? List.of(
                        new HostilePayloads.Variant("no body", "")) : HostilePayloads.of(
                        "{\"" + fields.get(0) + "\":\"x\"}", fields, 10, random.nextLong());
                for (int b = 0; b < bodies.size(); b++) {
                    HostilePayloads.Variant body = bodies.get(b);
                    String url = template.replaceAll("\\{[^}]+}", hostileSegments.get(random.nextInt(hostileSegments.size())));
                    // A bodiless call goes in as both; bodies alternate between the customer and ops staff.
                    for (String token : bodies.size() == 1 ? tokens : List.of(tokens.get(b % 2))) {
                        var request = given().urlEncodingEnabled(false).auth().oauth2(token)
                                .header("Idempotency-Key", "fuzz-" + random.nextInt(1_000_000));
                        if (!body.payload().isEmpty()) {
                            request.contentType(method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
                                    .body(body.payload());
                        }
                        var response = request.when().request(method, url).then().extract();
                        calls++;
                        org.assertj.core.api.Assertions.assertThat(response.statusCode())
                                .as("%s %s with %s (seed %d)", method, url.length() > 80 ? url.substring(0, 80) : url,
                                        body.description(), seed)
                                .isLessThan(500);
                        if (response.statusCode() >= 400 && !String.valueOf(response.contentType()).startsWith("text/event-stream")) {
                            org.assertj.core.api.Assertions.assertThat(response.contentType())
                                    .as("%s %s answered %d", method, template, response.statusCode())
                                    .startsWith("application/problem+json");
                        }
                    }
                }
            }
        }
        System.out.printf("%d hostile calls across the OpenAPI document, none a server error (seed %d)%n", calls, seed);
        org.assertj.core.api.Assertions.assertThat(calls).isGreaterThan(0);
    }

    /**
     * Every operation the OpenAPI document lists, called with a bearer token that is not good (its
     * signature changed, unsigned, signed by a foreign key, a forged subject, expired, not a JWT at
     * all): a secured operation answers 401 with a problem, whatever filters it has (or, for the
     * pages and their session APIs, sends the browser to sign in); a public one never answers with
     * a server error.
     */
    @Test
    void everyOperationAnswersABadTokenWith401() throws Exception {
        com.fasterxml.jackson.databind.JsonNode api = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given()
                .accept("application/json").when().get("/q/openapi").then().statusCode(200).extract().asString());
        String good = KeycloakTestSupport.passwordToken("staff-console", staffUser());
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("tampered signature", Tokens.tampered(good));
        bad.put("unsigned (alg none)", Tokens.unsigned(good));
        bad.put("signed by a foreign key", Tokens.foreignSigned(good));
        bad.put("forged subject", Tokens.forgedSubject(good, java.util.UUID.randomUUID().toString()));
        bad.put("expired", KeycloakTestSupport.expiredToken(staffUser()));
        bad.put("not a JWT", "not-a-token");
        int secured = 0;
        var paths = api.path("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            var operations = path.getValue().fields();
            while (operations.hasNext()) {
                var operation = operations.next();
                String method = operation.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                boolean needsToken = operation.getValue().has("security") || api.has("security");
                boolean stream = operation.getValue().toString().contains("text/event-stream");
                if (!needsToken && stream) {
                    continue; // a public stream stays open; nothing to refuse
                }
                // Ids shaped as the pages expect (a request id is a UUID), so the sign-on is what answers.
                String url = path.getKey().replaceAll("\\{[^}]+}", "0c8f0d52-5b1e-4c9e-9a37-0a4b8e2f6d11");
                for (var token : bad.entrySet()) {
                    // The pages' own header passes their cross-site guard: what answers is the sign-on itself.
                    String page = path.getKey().split("/").length > 1 ? path.getKey().split("/")[1] : "";
                    var request = given().redirects().follow(false).header("X-Requested-With", page).auth().oauth2(token.getValue());
                    if (!method.equals("GET") && !method.equals("DELETE")) {
                        request.contentType(method.equals("PATCH") ? "application/merge-patch+json" : "application/json").body("{}");
                    }
                    var response = request.when().request(method, url).then().extract();
                    String what = method + " " + path.getKey() + " with a token " + token.getKey();
                    if (needsToken && response.statusCode() == 302) {
                        // A page or the API behind it (a browser session, not a bearer token) sends the
                        // browser to sign in; a bearer token, good or bad, never opens it.
                        org.assertj.core.api.Assertions.assertThat(response.header("Location")).as(what).contains("/protocol/openid-connect/auth");
                    } else if (needsToken && response.statusCode() == 404 && response.asString().contains("has no such page")) {
                        // The pages' router refuses an id of the wrong shape before any sign-on: nothing is reached.
                        org.assertj.core.api.Assertions.assertThat(response.contentType()).as(what).startsWith("application/problem+json");
                    } else if (needsToken) {
                        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(what).isEqualTo(401);
                        org.assertj.core.api.Assertions.assertThat(response.contentType()).as(what)
                                .startsWith("application/problem+json");
                    } else {
                        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(what).isLessThan(500);
                    }
                }
                if (needsToken) {
                    secured++;
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(secured).as("secured operations swept").isGreaterThan(0);
    }

    private static KeycloakTestSupport.TestUser staff;

    private static synchronized KeycloakTestSupport.TestUser staffUser() {
        if (staff == null) {
            KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
            staff = KeycloakTestSupport.createUser(io.unichannel.common.security.Roles.OPS);
        }
        return staff;
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
