package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
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

    private static ValidatableResponse post(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/requests").then();
    }

    private static long publishedFor(String customerId, Duration wait) {
        return KafkaTestSupport.readMatching(Topics.CHANNEL_REQUESTS,
                r -> r.value() != null && r.value().contains("\"customerId\":\"" + customerId + "\""), 1, wait).size();
    }
}
