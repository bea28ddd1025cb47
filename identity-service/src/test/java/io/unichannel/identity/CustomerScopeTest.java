package io.unichannel.identity;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.identity.Customers.Registered;
import org.junit.jupiter.api.Test;

/**
 * Customer records are scoped like tickets: staff of another region get 404 for a record, its
 * identities, merges, sign-in history and changes (as if it did not exist); staff of its region
 * and ops see it; a record no region has claimed stays reachable to every member of staff.
 */
@QuarkusTest
class CustomerScopeTest {

    @Test
    void anotherRegionsStaffSeeNothingOfACustomerRecord() {
        String beijingAgent = Customers.agentToken();
        String tianheAgent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz-tianhe"));
        String tianheSupervisor = KeycloakTestSupport.passwordToken("staff-console",
                KeycloakTestSupport.createStaff("supervisor", "gz-tianhe"));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        Registered beijing = Customers.register(beijingAgent);

        for (String outsider : List.of(tianheAgent, tianheSupervisor)) {
            for (String path : List.of("", "/identities", "/merges")) {
                given().auth().oauth2(outsider).get("/api/v1/customers/" + beijing.id() + path).then().statusCode(404)
                        .contentType("application/problem+json");
            }
            given().auth().oauth2(outsider).get("/api/v1/sign-in/audit/" + beijing.id()).then().statusCode(404);
            given().auth().oauth2(outsider).contentType(ContentType.JSON)
                    .body(Map.of("identityType", "idDocument", "externalId", Customers.idNumber()))
                    .post("/api/v1/customers/" + beijing.id() + "/identities").then().log().ifValidationFails().statusCode(404);
        }
        Registered twin = Customers.register(beijingAgent);
        given().auth().oauth2(tianheAgent).contentType(ContentType.JSON)
                .body(Map.of("mergedCustomerId", twin.id(), "reason", "Looks like the same person",
                        "verification", "Name matched"))
                .post("/api/v1/customers/" + beijing.id() + "/merge-proposals").then().statusCode(404);
        // Resolving a phone number is no oracle for another region's customers.
        given().auth().oauth2(tianheAgent).queryParam("type", "msisdn").queryParam("externalId", beijing.msisdn())
                .get("/api/v1/resolve").then().statusCode(404);
        given().auth().oauth2(beijingAgent).queryParam("type", "msisdn").queryParam("externalId", beijing.msisdn())
                .get("/api/v1/resolve").then().statusCode(200);
        for (String insider : List.of(beijingAgent, ops)) {
            given().auth().oauth2(insider).get("/api/v1/customers/" + beijing.id()).then().statusCode(200);
            given().auth().oauth2(insider).get("/api/v1/customers/" + beijing.id() + "/identities").then().statusCode(200);
        }

        // Registered without a region: every member of staff can reach it.
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String unclaimed = given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Wei Fang " + suffix, "msisdn", Customers.msisdn()))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        given().auth().oauth2(tianheAgent).get("/api/v1/customers/" + unclaimed).then().statusCode(200);
    }
}
