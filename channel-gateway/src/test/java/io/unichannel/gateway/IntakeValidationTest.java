package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.testing.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad submissions get a 4xx problem and publish nothing; a good one is published as a valid event. */
@QuarkusTest
class IntakeValidationTest {

    static TestUser customer;
    static String appToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        customer = KeycloakTestSupport.createUser("customer");
        appToken = KeycloakTestSupport.passwordToken("channel-app", customer);
    }

    @Test
    void badSubmissionsAreProblemsAndPublishNothing() {
        post(appToken, "{\"requestType\":\"faultRepair\",").statusCode(400)
                .body("type", equalTo("urn:unichannel:problem:malformed-body"));
        post(appToken, "{\"requestType\":\"faultRepair\"}").statusCode(400).body("errors.field", hasItem("description"));
        post(appToken, "{\"requestType\":\"haircut\",\"description\":\"x\"}").statusCode(400)
                .body("errors.field", hasItem("requestType"));
        post(appToken, "{\"requestType\":\"complaint\",\"description\":\"" + "x".repeat(4001) + "\"}").statusCode(400)
                .body("errors.field", hasItem("description"));
        post(appToken, "{\"requestType\":\"complaint\",\"description\":\"x\",\"severity\":\"apocalyptic\"}")
                .statusCode(400);
        given().auth().oauth2(appToken).contentType(ContentType.JSON).header("Idempotency-Key", "no spaces allowed")
                .body("{\"requestType\":\"complaint\",\"description\":\"x\"}").when().post("/api/v1/requests")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(appToken).contentType(ContentType.JSON)
                .body("{\"requestType\":\"complaint\",\"description\":\"" + "x".repeat(70_000) + "\"}")
                .when().post("/api/v1/requests").then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("urn:unichannel:problem:payload-too-large"));
        given().auth().oauth2(appToken).contentType(ContentType.TEXT).body("complaint")
                .when().post("/api/v1/requests").then().statusCode(415).contentType("application/problem+json");

        assertThat(publishedFor(customer.id(), Duration.ofSeconds(3))).isZero();
    }

    /**
     * Generated hostile bodies (control characters, invalid Unicode, over-long text, wrong types,
     * missing fields, trailing garbage, deep nesting, not an object): never a 5xx; each is either a
     * 400 problem (naming the field when one field is at fault) or, for a variant that stays valid,
     * accepted. Then a good request is still accepted.
     */
    @Test
    void generatedHostileBodiesGetProblemsNeverServerErrors() {
        long seed = System.nanoTime();
        TestUser someone = KeycloakTestSupport.createUser("customer");
        String token = KeycloakTestSupport.passwordToken("channel-app", someone);
        String good = "{\"requestType\":\"complaint\",\"description\":\"Charged twice\",\"category\":\"billing\","
                + "\"urgency\":\"high\",\"attributes\":{\"month\":\"2026-10\"}}";
        int refused = 0;
        for (HostilePayloads.Variant variant : HostilePayloads.of(good,
                List.of("requestType", "description", "category", "urgency", "attributes"), 120, seed)) {
            var response = post(token, variant.payload()).extract();
            int status = response.statusCode();
            assertThat(status).as("%s (seed %d)", variant.description(), seed).isIn(202, 400, 413);
            if (status != 202) {
                refused++;
                assertThat(response.contentType()).as(variant.description()).startsWith("application/problem+json");
                assertThat(response.jsonPath().getString("type")).startsWith("urn:unichannel:problem:");
            }
            String broken = variant.description().split(" ")[0];
            if (status == 400 && variant.description().endsWith("attack #0")) {
                // A NUL in any text field is always named.
                assertThat(response.jsonPath().getList("errors.field", String.class))
                        .as(variant.description()).anyMatch(f -> f.startsWith(broken));
            }
        }
        assertThat(refused).as("hostile bodies refused (seed %d)", seed).isGreaterThan(60);
        post(token, good).statusCode(202);
    }

    @Test
    void trailingGarbageAndUnbindableShapesAreProblemsNamingTheField() {
        post(appToken, "{\"requestType\":\"complaint\",\"description\":\"x\"} trailing").statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:unichannel:problem:malformed-body"));
        post(appToken, "[1,2]").statusCode(400).contentType("application/problem+json");
        post(appToken, "\"text\"").statusCode(400).contentType("application/problem+json");
        post(appToken, "{\"requestType\":\"complaint\",\"description\":{\"a\":1}}").statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("description"));
        post(appToken, "{\"requestType\":\"complaint\",\"description\":\"x\",\"attributes\":{\"k\":[1]}}")
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("attributes.k"));
        post(appToken, "{\"requestType\":\"complaint\",\"description\":\"a\\u0000b\"}").statusCode(400)
                .body("errors.field", hasItem("description"));
    }

    @Test
    void tokensThatAreMissingExpiredForgedOrNotFromAChannelAreRefused() {
        String valid = "{\"requestType\":\"complaint\",\"description\":\"Charged twice\"}";
        given().contentType(ContentType.JSON).body(valid).when().post("/api/v1/requests").then().statusCode(401)
                .contentType("application/problem+json");
        post(KeycloakTestSupport.expiredToken(customer), valid).statusCode(401);
        post(Tokens.forgedSubject(appToken, "someone-else"), valid).statusCode(401);
        post(Tokens.unsigned(appToken), valid).statusCode(401);
        String staff = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("customer"));
        post(staff, valid).statusCode(403).contentType("application/problem+json");
        String agent = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("agent"));
        post(agent, valid).statusCode(403);

        assertThat(publishedFor(customer.id(), Duration.ofSeconds(3))).isZero();
    }

    @Test
    void anAcceptedRequestIsPublishedAsAValidEventKeyedByItsId() throws Exception {
        TestUser someone = KeycloakTestSupport.createUser("customer");
        String token = KeycloakTestSupport.passwordToken("channel-web", someone);
        ValidatableResponse accepted = post(token, "{\"requestType\":\"businessRequest\","
                + "\"description\":\"Switch to the 5G 199 plan\",\"category\":\"packageChange\","
                + "\"attributes\":{\"targetPackage\":\"5G-199\"}}").statusCode(202);
        String requestId = accepted.extract().path("requestId");
        accepted.header("Location", org.hamcrest.Matchers.endsWith("/api/v1/requests/" + requestId))
                .body("links.events", equalTo("/api/v1/requests/" + requestId + "/events"));

        var records = KafkaTestSupport.readMatching(Topics.CHANNEL_REQUESTS, r -> requestId.equals(r.key()), 2,
                Duration.ofSeconds(5));
        assertThat(records).hasSize(1);
        CloudEvent event = EventSchemaAssert.assertValidEvent(records.get(0));
        JsonNode body = new ObjectMapper().readTree(event.data());
        assertThat(body.get("channel").asText()).isEqualTo("web");
        assertThat(body.get("customerId").asText()).isEqualTo(someone.id());
        assertThat(body.at("/attributes/targetPackage").asText()).isEqualTo("5G-199");
    }

    /**
     * What a customer sends is a claim: they may say how urgent it is, never pick the grade (which
     * selects the incident policy and a 4-hour promise) or a category the platform assigns itself.
     */
    @Test
    void aCustomerStatesUrgencyButNeverPicksTheGrade() throws Exception {
        TestUser someone = KeycloakTestSupport.createUser("customer");
        String token = KeycloakTestSupport.passwordToken("channel-app", someone);
        post(token, "{\"requestType\":\"consultation\",\"description\":\"How do I read my bill?\",\"severity\":\"critical\"}")
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("severity"));
        post(token, "{\"requestType\":\"complaint\",\"description\":\"Still slow\",\"category\":\"surveyFollowUp\"}")
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("category"));
        post(token, "{\"requestType\":\"consultation\",\"description\":\"x\",\"urgency\":\"critical\"}")
                .statusCode(400).body("errors.field", hasItem("urgency"));
        assertThat(publishedFor(someone.id(), Duration.ofSeconds(2))).as("nothing refused was published").isZero();

        String requestId = post(token, "{\"requestType\":\"consultation\",\"description\":\"How do I read my bill?\","
                + "\"urgency\":\"high\"}").statusCode(202).extract().path("requestId");
        var records = KafkaTestSupport.readMatching(Topics.CHANNEL_REQUESTS, r -> requestId.equals(r.key()), 1, Duration.ofSeconds(5));
        JsonNode body = new ObjectMapper().readTree(EventSchemaAssert.assertValidEvent(records.get(0)).data());
        assertThat(body.path("urgency").asText()).isEqualTo("high");
        assertThat(body.has("severity")).as("the grade is the platform's").isFalse();
    }

    private static ValidatableResponse post(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/requests").then();
    }

    private static long publishedFor(String customerId, Duration wait) {
        return KafkaTestSupport.readMatching(Topics.CHANNEL_REQUESTS,
                r -> r.value() != null && r.value().contains("\"customerId\":\"" + customerId + "\""), 1, wait).size();
    }
}
