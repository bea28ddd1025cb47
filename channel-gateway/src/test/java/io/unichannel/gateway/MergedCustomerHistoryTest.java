package io.unichannel.gateway;

import io.unichannel.common.testing.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Across the real services: identity-service merges customer B into A after staff verified they
 * are one person; A's request list on the gateway then includes what B submitted, ticket-service
 * files B's ticket under A, and B's channel identities resolve to A.
 */
@QuarkusTest
class MergedCustomerHistoryTest {

    private static final String FAULT = "{\"requestType\":\"faultRepair\",\"description\":\"No signal at home since Monday\","
            + "\"urgency\":\"high\"}";

    static ServiceProcess ticketService;
    static ServiceProcess identityService;
    static String agentToken;

    @BeforeAll
    static void startPlatform() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        identityService = ServiceProcess.identityService().start();
        ticketService = ServiceProcess.ticketService().start();
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    @AfterAll
    static void stopPlatform() {
        if (ticketService != null) {
            ticketService.close();
        }
        if (identityService != null) {
            identityService.close();
        }
    }

    @Test
    void afterMergingBIntoATheSurvivorsRequestListIncludesBs() {
        Registered a = register();
        Registered b = register();
        String aApp = KeycloakTestSupport.passwordToken("channel-app", a.user());
        String bApp = KeycloakTestSupport.passwordToken("channel-app", b.user());
        assertThat(Tokens.claims(bApp).get("customer_id").asText()).isEqualTo(b.id());

        String aRequest = submit(aApp);
        String bRequest = submit(bApp);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(bApp)
                .get("/api/v1/requests/" + bRequest).then().statusCode(200).body("ticketId", notNullValue()));
        given().auth().oauth2(aApp).get("/api/v1/requests/" + bRequest).then().statusCode(404);

        // Four eyes: an agent proposes, a supervisor approves.
        String agent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("agent"));
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("supervisor"));
        String proposal = given().baseUri(identityService.baseUrl()).auth().oauth2(agent).contentType(ContentType.JSON)
                .body(Map.of("mergedCustomerId", b.id(), "reason", "Same person, two registrations",
                        "verification", "ID document checked at the counter"))
                .post("/api/v1/customers/" + a.id() + "/merge-proposals").then().statusCode(201).extract().path("id");
        given().baseUri(identityService.baseUrl()).auth().oauth2(supervisor).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/merge-proposals/" + proposal + "/approval").then().statusCode(201);

        // A sees B's request in their list and can open it; A's own request is still there.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(aApp).get("/api/v1/requests")
                .then().statusCode(200).body("requestId", hasItem(bRequest)).body("requestId", hasItem(aRequest)));
        given().auth().oauth2(aApp).get("/api/v1/requests/" + bRequest).then().statusCode(200);
        // B signing in again is A, and so sees both histories too.
        String bAgain = KeycloakTestSupport.passwordToken("channel-app", b.user());
        assertThat(Tokens.claims(bAgain).get("customer_id").asText()).isEqualTo(a.id());
        given().auth().oauth2(bAgain).get("/api/v1/requests").then().statusCode(200)
                .body("requestId", hasItem(aRequest)).body("requestId", hasItem(bRequest));

        // ticket-service files B's ticket under A.
        String ticketId = given().auth().oauth2(aApp).get("/api/v1/requests/" + bRequest).then().extract().path("ticketId");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> ids = given().baseUri(ticketService.baseUrl()).auth().oauth2(agentToken)
                    .queryParam("relatedParty.id", a.id()).get("/tmf-api/troubleTicket/v5/troubleTicket")
                    .then().statusCode(200).extract().path("id");
            assertThat(ids).contains(ticketId);
        });
    }

    record Registered(String id, TestUser user) {
    }

    private static Registered register() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "137" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
        String password = "Pw-" + suffix + "-x";
        String id = given().baseUri(identityService.baseUrl()).auth().oauth2(agentToken).contentType(ContentType.JSON)
                .body(Map.of("name", "Han Meimei " + suffix, "msisdn", msisdn, "appAccount", "e2e-" + suffix,
                        "password", password))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        return new Registered(id, new TestUser(null, "e2e-" + suffix, password));
    }

    private static String submit(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(FAULT).post("/api/v1/requests")
                .then().statusCode(202).extract().path("requestId");
    }
}
