package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import io.unichannel.identity.Customers.Registered;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two records that are one person are merged by staff: B's channel identities answer for A, the
 * merged id resolves to A, the audit says who merged what and why, and identity-events report it
 * all with phone and ID numbers masked.
 */
@QuarkusTest
class CustomerMergeTest {

    static String agentToken;
    static String supervisorToken;
    static String otherSupervisorToken;

    @BeforeAll
    static void realm() {
        agentToken = Customers.agentToken();
        supervisorToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", "beijing"));
        otherSupervisorToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", "beijing"));
    }

    /** An agent proposes merging b into a; returns the proposal id. */
    static String propose(String token, String a, String b, String reason, String verification) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("mergedCustomerId", b, "reason", reason, "verification", verification))
                .post("/api/v1/customers/" + a + "/merge-proposals").then().statusCode(201)
                .body("status", equalTo("pending")).extract().path("id");
    }

    static io.restassured.response.ValidatableResponse approve(String token, String proposal) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("note", "checked"))
                .post("/api/v1/merge-proposals/" + proposal + "/approval").then();
    }

    @Test
    void afterMergingBIntoAEveryIdentityOfBResolvesToA() throws Exception {
        Registered a = Customers.register(agentToken);
        Registered b = Customers.register(agentToken);
        String unionId = "oUnion" + b.id();
        given().auth().oauth2(supervisorToken).contentType(ContentType.JSON)
                .body(Map.of("identityType", "wechatUnionId", "externalId", unionId, "reason", "Shown at the counter"))
                .post("/api/v1/customers/" + b.id() + "/identities").then().statusCode(201);
        String adapter = KeycloakTestSupport.serviceAccountToken("channel-hotline");

        String proposal = propose(agentToken, a.id(), b.id(), "Same person: registered twice (store and WeChat)",
                "ID document checked at the counter");
        // proposed, not merged: b is still b
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + b.id()).then().statusCode(200).body("id", equalTo(b.id()));
        approve(supervisorToken, proposal).statusCode(201)
                .body("survivorId", equalTo(a.id())).body("mergedId", equalTo(b.id())).body("movedIdentities", equalTo(6));

        for (Map.Entry<String, String> identity : Map.of("msisdn", b.msisdn(), "wechatOpenId", b.wechatOpenId(),
                "wechatUnionId", unionId, "appAccount", b.appAccount(), "idDocument", b.idNumber(), "customerId", b.id()).entrySet()) {
            given().auth().oauth2(adapter).queryParam("type", identity.getKey()).queryParam("externalId", identity.getValue())
                    .get("/api/v1/resolve").then().statusCode(200).body("customerId", equalTo(a.id()));
        }
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + b.id()).then().statusCode(200)
                .body("id", equalTo(a.id())).body("mergedIds", hasItem(b.id()));

        // The audit shows who merged what, why and on what verification, from either side.
        for (String id : List.of(a.id(), b.id())) {
            given().auth().oauth2(agentToken).get("/api/v1/customers/" + id + "/merges").then().statusCode(200)
                    .body("[0].survivorId", equalTo(a.id())).body("[0].mergedId", equalTo(b.id()))
                    .body("[0].reason", equalTo("Same person: registered twice (store and WeChat)"))
                    .body("[0].verification", equalTo("ID document checked at the counter"))
                    .body("[0].proposedBy", equalTo(Tokens.claims(agentToken).get("sub").asText()))
                    .body("[0].mergedBy", equalTo(Tokens.claims(supervisorToken).get("sub").asText()));
        }

        // B signing in anywhere is now A: APP password sign-in and WeChat sign-in carry A's customer id.
        String bApp = KeycloakTestSupport.passwordToken("channel-app", b.appUser());
        assertThat(Tokens.claims(bApp).get("customer_id").asText()).isEqualTo(a.id());
        String wechat = given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-wechat")).contentType(ContentType.JSON)
                .body(Map.of("openId", b.wechatOpenId())).post("/api/v1/sign-in/wechat").then().statusCode(200)
                .extract().path("access_token");
        assertThat(Tokens.claims(wechat).get("customer_id").asText()).isEqualTo(a.id());

        // Approving again is harmless; proposing the other way round, into a merged record, is refused.
        approve(otherSupervisorToken, proposal).statusCode(201).body("reason",
                equalTo("Same person: registered twice (store and WeChat)"));
        given().auth().oauth2(agentToken).contentType(ContentType.JSON)
                .body(Map.of("mergedCustomerId", a.id(), "reason", "wrong way", "verification", "none"))
                .post("/api/v1/customers/" + b.id() + "/merge-proposals").then().statusCode(409);

        // identity-events tell the story, valid against their schemas, keyed and masked.
        List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.IDENTITY_EVENTS,
                r -> r.value().contains(b.id()), 14, Duration.ofSeconds(20));
        Set<String> types = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> record : events) {
            types.add(EventSchemaAssert.assertValidEvent(record).type());
            assertThat(record.value()).doesNotContain(b.msisdn(), b.idNumber(), a.msisdn());
        }
        assertThat(types).contains(EventTypes.CUSTOMER_REGISTERED, EventTypes.CHANNEL_IDENTITY_BOUND,
                EventTypes.CHANNEL_IDENTITY_UNBOUND, EventTypes.CUSTOMERS_MERGED);
        ConsumerRecord<String, String> merged = events.stream()
                .filter(r -> r.value().contains("\"survivorId\"")).findFirst().orElseThrow();
        assertThat(merged.key()).isEqualTo(b.id());

        // No phone or ID number of these customers in clear in the service's log.
        String log = Files.readString(Path.of("target/identity-service-test.log"));
        assertThat(log).doesNotContain(a.msisdn(), b.msisdn(), a.idNumber(), b.idNumber());
    }

    @Test
    void onlyStaffMerge() {
        Registered a = Customers.register(agentToken);
        Registered b = Customers.register(agentToken);
        String customer = KeycloakTestSupport.passwordToken("channel-app", a.appUser());
        given().auth().oauth2(customer).contentType(ContentType.JSON)
                .body(Map.of("mergedCustomerId", b.id(), "reason", "mine", "verification", "trust me"))
                .post("/api/v1/customers/" + a.id() + "/merge-proposals").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(agentToken).contentType(ContentType.JSON).body(Map.of("mergedCustomerId", b.id()))
                .post("/api/v1/customers/" + a.id() + "/merge-proposals").then().statusCode(400);
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + b.id()).then().statusCode(200).body("id", equalTo(b.id()));
    }

    @Test
    void fourEyesNobodyMergesAloneAndARejectedProposalChangesNothing() {
        Registered a = Customers.register(agentToken);
        Registered b = Customers.register(agentToken);
        // a supervisor's own proposal needs another supervisor; an agent cannot approve at all
        String proposal = propose(supervisorToken, a.id(), b.id(), "Same person", "ID document checked");
        approve(supervisorToken, proposal).statusCode(403).contentType("application/problem+json")
                .body("title", equalTo("Four eyes"));
        approve(agentToken, proposal).statusCode(403);
        given().auth().oauth2(otherSupervisorToken).get("/api/v1/merge-proposals?status=pending").then().statusCode(200)
                .body("id", hasItem(proposal));
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + b.id()).then().statusCode(200).body("id", equalTo(b.id()));

        // rejected by another supervisor: nothing merged, and it cannot be approved afterwards
        given().auth().oauth2(otherSupervisorToken).contentType(ContentType.JSON).body(Map.of("note", "different birth dates"))
                .post("/api/v1/merge-proposals/" + proposal + "/rejection").then().statusCode(200)
                .body("status", equalTo("rejected")).body("decisionNote", equalTo("different birth dates"))
                .body("decidedBy", equalTo(Tokens.claims(otherSupervisorToken).get("sub").asText()));
        approve(otherSupervisorToken, proposal).statusCode(409);
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + b.id()).then().statusCode(200).body("id", equalTo(b.id()));
        given().auth().oauth2(agentToken).get("/api/v1/customers/" + a.id() + "/merges").then().statusCode(200)
                .body("$", org.hamcrest.Matchers.empty());
        approve(otherSupervisorToken, java.util.UUID.randomUUID().toString()).statusCode(404);
    }
}
