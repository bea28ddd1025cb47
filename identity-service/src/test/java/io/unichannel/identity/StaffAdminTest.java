package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.testing.Tokens;
import io.unichannel.identity.staff.SeedLoader;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Staff administration and the seed file: agents with skills, region and seniority sign on once. */
@QuarkusTest
class StaffAdminTest {

    static String opsToken;

    @Inject
    SeedLoader seed;

    @BeforeAll
    static void realm() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        opsToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    @Test
    void opsAddAnAgentWhoseSkillsAndRegionTravelInTheirToken() {
        String username = "agent-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body(Map.of("username", username, "name", "Sun Li", "role", "agent", "region", "gz-tianhe",
                        "skills", List.of("broadband", "billing"), "seniority", "senior", "department", "field-maintenance",
                        "password", "Agent-pw-123"))
                .post("/api/v1/staff").then().statusCode(201)
                .body("role", equalTo("agent")).body("skills", contains("broadband", "billing"))
                .body("department", equalTo("field-maintenance"));

        JsonNode claims = Tokens.claims(KeycloakTestSupport.passwordToken("staff-console",
                new TestUser(null, username, "Agent-pw-123")));
        assertThat(claims.get("region").asText()).isEqualTo("gz-tianhe");
        assertThat(claims.get("skills").toString()).contains("broadband", "billing");
        assertThat(claims.at("/realm_access/roles").toString()).contains("agent");
        assertThat(claims.get("department").asText()).as("whose pain points they answer").isEqualTo("field-maintenance");

        given().auth().oauth2(opsToken).queryParam("role", "agent").queryParam("max", 500).get("/api/v1/staff")
                .then().statusCode(200).body("username", hasItem(username));
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body(Map.of("skills", List.of("mobile"), "seniority", "expert", "department", "customer-service-centre",
                        "enabled", false))
                .put("/api/v1/staff/" + username).then().statusCode(200)
                .body("skills", contains("mobile")).body("seniority", equalTo("expert")).body("enabled", equalTo(false))
                .body("department", equalTo("customer-service-centre"));
        given().auth().oauth2(opsToken).contentType(ContentType.JSON).body(Map.of("department", "Field Maintenance!"))
                .put("/api/v1/staff/" + username).then().statusCode(400);
    }

    @Test
    void aNoticeReachesTheStaffWhoAskedForTextsAndOnlyTheChannelAdaptersMayAsk() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String region = "reach-" + suffix;
        String texted = "sup-t-" + suffix;
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body(Map.of("username", texted, "name", "Wu Fang", "role", "supervisor", "region", region,
                        "password", "Sup-pw-12345", "mobile", "13312345678", "noticeChannel", "sms"))
                .post("/api/v1/staff").then().statusCode(201)
                .body("mobile", equalTo("133****5678")).body("noticeChannel", equalTo("sms"));
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body(Map.of("username", "sup-d-" + suffix, "name", "Qian Yu", "role", "supervisor", "region", region,
                        "password", "Sup-pw-12345", "mobile", "13212345678"))
                .post("/api/v1/staff").then().statusCode(201).body("noticeChannel", equalTo("desk"));
        // Texts need a number to text.
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body(Map.of("username", "sup-x-" + suffix, "name", "No Phone", "role", "supervisor", "password", "Sup-pw-12345",
                        "noticeChannel", "sms"))
                .post("/api/v1/staff").then().statusCode(400);
        given().auth().oauth2(opsToken).contentType(ContentType.JSON).body(Map.of("mobile", "12345"))
                .put("/api/v1/staff/" + texted).then().statusCode(400);

        String adapter = KeycloakTestSupport.serviceAccountToken("channel-sms");
        List<Map<String, Object>> reach = given().auth().oauth2(adapter).queryParam("to", "supervisors:" + region)
                .get("/api/v1/staff-reach").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(reach).hasSize(1);
        assertThat(reach.get(0)).containsEntry("username", texted).containsEntry("noticeChannel", "sms");
        assertThat(reach.get(0).get("msisdnSealed").toString()).as("the number travels sealed").doesNotContain("13312345678");
        assertThat(given().auth().oauth2(adapter).queryParam("to", texted).get("/api/v1/staff-reach").then().statusCode(200)
                .extract().jsonPath().getList("username")).containsExactly(texted);
        // Switched to the desk only: no longer texted.
        given().auth().oauth2(opsToken).contentType(ContentType.JSON).body(Map.of("noticeChannel", "desk"))
                .put("/api/v1/staff/" + texted).then().statusCode(200);
        assertThat(given().auth().oauth2(adapter).queryParam("to", "supervisors:" + region).get("/api/v1/staff-reach")
                .then().statusCode(200).extract().jsonPath().getList("$")).isEmpty();
        given().auth().oauth2(adapter).queryParam("to", "nobody-" + suffix).get("/api/v1/staff-reach").then().statusCode(200)
                .body("size()", equalTo(0));
        given().auth().oauth2(adapter).queryParam("to", "bad key!").get("/api/v1/staff-reach").then().statusCode(400);
        given().auth().oauth2(opsToken).queryParam("to", texted).get("/api/v1/staff-reach").then().statusCode(403);
        given().auth().oauth2(Customers.agentToken()).queryParam("to", texted).get("/api/v1/staff-reach").then().statusCode(403);
    }

    @Test
    void supervisorsManageAgentsOnlyAndOthersNobody() {
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("supervisor"));
        Map<String, Object> newOps = Map.of("username", "ops-" + UUID.randomUUID().toString().substring(0, 8),
                "name", "Would Be", "role", "ops", "password", "Ops-pw-1234");
        given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(newOps).post("/api/v1/staff")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Customers.agentToken()).contentType(ContentType.JSON).body(newOps).post("/api/v1/staff")
                .then().statusCode(403);
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body(Map.of("username", "Bad Name!", "name", "x", "role", "agent", "password", "short"))
                .post("/api/v1/staff").then().statusCode(400).body("errors.field", hasItem("username"));
        given().auth().oauth2(opsToken).get("/api/v1/staff/nobody-" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void theSeedFileAddsStaffAndCustomersOnce() throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = Customers.msisdn();
        Path file = Files.createTempFile("seed", ".json");
        Files.writeString(file, """
                {"staff": [{"username": "seed-%s", "name": "Seed Agent", "role": "agent", "region": "sz",
                            "skills": ["billing"], "password": "Seed-pw-123"}],
                 "customers": [{"name": "Seed Customer", "msisdn": "%s", "appAccount": "seedc-%s",
                                "password": "Seed-pw-123", "wechatOpenId": "oSeed%s"}]}""".formatted(suffix, msisdn, suffix, suffix));

        assertThat(seed.apply(file)).isEqualTo(new SeedLoader.Applied(1, 1));
        assertThat(seed.apply(file)).as("applying again changes nothing").isEqualTo(new SeedLoader.Applied(0, 0));

        String customerToken = KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, "seedc-" + suffix, "Seed-pw-123"));
        given().auth().oauth2(customerToken).get("/api/v1/customers/me").then().statusCode(200).body("msisdn", equalTo(msisdn));
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-wechat"))
                .queryParam("type", "wechatOpenId").queryParam("externalId", "oSeed" + suffix).get("/api/v1/resolve")
                .then().statusCode(200);
    }

    @Test
    void aSeedCustomerWhoseAccountIsLeftInKeycloakIsSkippedAndTheRestStillApplies() throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // An account of the demo customer's name is already in Keycloak (left from an earlier local database).
        KeycloakTestSupport.TestUser stale = KeycloakTestSupport.createUser("customer");
        Path file = Files.createTempFile("seed", ".json");
        Files.writeString(file, """
                {"customers": [{"name": "Stale Demo", "msisdn": "%s", "appAccount": "%s", "password": "Seed-pw-123"},
                               {"name": "Fresh Demo", "msisdn": "%s", "appAccount": "fresh-%s", "password": "Seed-pw-123"}]}"""
                .formatted(Customers.msisdn(), stale.username(), Customers.msisdn(), suffix));
        assertThat(seed.apply(file)).isEqualTo(new SeedLoader.Applied(0, 1));
        KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, "fresh-" + suffix, "Seed-pw-123"));
    }
}
