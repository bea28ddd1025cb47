package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.unichannel.common.events.Topics;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.identity.Customers.Registered;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A customer binds only what they prove, and asking never reveals who an identifier belongs to:
 * a phone number through a one-time code sent to it, a WeChat id only through the WeChat sign-in,
 * an ID document only at the counter; staff bind other identities only as a supervisor, with a
 * reason the audit keeps.
 */
@QuarkusTest
class BindingProofTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "platform.notification-seal-key")
    String sealKey;

    static String agentToken;
    static String supervisorToken;

    @BeforeAll
    static void staff() {
        agentToken = Customers.agentToken();
        supervisorToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", "beijing"));
    }

    @Test
    void aPhoneNumberIsBoundOnlyWithTheCodeSentToItAndAskingRevealsNothing() throws Exception {
        Registered me = Customers.register(agentToken);
        Registered someoneElse = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", me.appUser());
        String spare = Customers.msisdn();

        // No proof, no binding: the victim's number cannot simply be claimed.
        bind(app, me.id(), "msisdn", someoneElse.msisdn(), null).statusCode(403).body("title", equalTo("Proof required"));

        // Asking for a proof looks the same for a free number and for someone else's.
        Response free = startProof(app, me.id(), spare);
        Response taken = startProof(app, me.id(), someoneElse.msisdn());
        assertThat(free.statusCode()).isEqualTo(202).isEqualTo(taken.statusCode());
        assertThat(free.jsonPath().getMap("$").keySet()).isEqualTo(taken.jsonPath().getMap("$").keySet());

        String proof = free.jsonPath().getString("challengeId");
        proofAnswer(app, me.id(), proof, "000000".equals(code(me.id(), spare, 1)) ? "111111" : "000000").statusCode(400);
        proofAnswer(app, me.id(), proof, code(me.id(), spare, 1)).statusCode(201)
                .body("identityType", equalTo("msisdn")).body("externalIdMasked", equalTo(Masking.msisdn(spare)));
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-hotline")).queryParam("type", "msisdn")
                .queryParam("externalId", spare).get("/api/v1/resolve").then().statusCode(200).body("customerId", equalTo(me.id()));
        // used once
        proofAnswer(app, me.id(), proof, code(me.id(), spare, 1)).statusCode(400);

        // A binding proof is no sign-in: the code cannot be spent on the one-time-code sign-in.
        // (Codes live 4 s in tests: ask again for the taken number.)
        String takenProof = startProof(app, me.id(), someoneElse.msisdn()).then().statusCode(202).extract().path("challengeId");
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-sms")).contentType(ContentType.JSON)
                .body(Map.of("code", code(me.id(), someoneElse.msisdn(), 2)))
                .post("/api/v1/sign-in/one-time-codes/" + takenProof).then().statusCode(404);
        // Another customer cannot answer my proof.
        Registered third = Customers.register(agentToken);
        String thirdApp = KeycloakTestSupport.passwordToken("channel-app", third.appUser());
        proofAnswer(thirdApp, third.id(), takenProof, code(me.id(), someoneElse.msisdn(), 2)).statusCode(404);
        // Only someone who proved the number learns it is taken.
        proofAnswer(app, me.id(), takenProof, code(me.id(), someoneElse.msisdn(), 2)).statusCode(409);
        given().auth().oauth2(agentToken).queryParam("type", "msisdn").queryParam("externalId", someoneElse.msisdn())
                .get("/api/v1/resolve").then().statusCode(200).body("customerId", equalTo(someoneElse.id()));
    }

    @Test
    void anAccountNameSomeoneHoldsAnswersTheSameWhoeverHoldsIt() {
        Registered me = Customers.register(agentToken);
        Registered someoneElse = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", me.appUser());
        KeycloakTestSupport.TestUser staffMember = KeycloakTestSupport.createStaff("agent", "beijing");

        Response customers = bind(app, me.id(), "appAccount", someoneElse.appAccount(), null).statusCode(409).extract().response();
        Response staff = bind(app, me.id(), "appAccount", staffMember.username(), null).statusCode(409).extract().response();
        for (String field : List.of("type", "title", "status", "detail")) {
            assertThat(staff.jsonPath().getString(field)).as(field).isEqualTo(customers.jsonPath().getString(field));
        }
        assertThat(customers.jsonPath().getString("detail")).doesNotContainIgnoringCase("customer").doesNotContainIgnoringCase("merge");
        // Staff, who may know, hear whose it is.
        bind(supervisorToken, me.id(), "appAccount", someoneElse.appAccount(), "Customer asked at the counter").statusCode(409)
                .body("title", equalTo("Already bound"));
    }

    @Test
    void weChatIdsAndIdDocumentsNeedTheirOwnProofAndStaffBindOnlyWithAuthority() throws Exception {
        Registered c = Customers.register(agentToken);
        String app = KeycloakTestSupport.passwordToken("channel-app", c.appUser());
        bind(app, c.id(), "wechatOpenId", "oClaim" + c.id(), null).statusCode(403);
        bind(app, c.id(), "idDocument", Customers.idNumber(), null).statusCode(403);

        // an agent binds an ID document checked at the counter, nothing else
        bind(agentToken, c.id(), "idDocument", Customers.idNumber(), null).statusCode(201);
        bind(agentToken, c.id(), "wechatUnionId", "oUnion" + c.id(), null).statusCode(403).body("title", equalTo("Supervisor required"));
        // a supervisor binds with a reason, which the audit keeps
        bind(supervisorToken, c.id(), "wechatUnionId", "oUnion" + c.id(), null).statusCode(400);
        bind(supervisorToken, c.id(), "wechatUnionId", "oUnion" + c.id(), "Customer showed the WeChat account at the counter")
                .statusCode(201);
        List<ConsumerRecord<String, String>> bound = KafkaTestSupport.readMatching(Topics.IDENTITY_EVENTS,
                r -> r.value().contains(c.id()) && r.value().contains("Customer showed the WeChat account"), 1, Duration.ofSeconds(15));
        assertThat(bound).hasSize(1);
        EventSchemaAssert.assertValidEvent(bound.get(0));
        // the WeChat adapter binds WeChat ids (its sign-in proved them), nothing else
        String wechat = KeycloakTestSupport.serviceAccountToken("channel-wechat");
        bind(wechat, c.id(), "wechatOpenId", "oWx" + c.id(), null).statusCode(201);
        bind(wechat, c.id(), "idDocument", Customers.idNumber(), null).statusCode(403);
    }

    private static io.restassured.response.ValidatableResponse bind(String token, String customer, String type, String id,
            String reason) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("identityType", type, "externalId", id));
        if (reason != null) {
            body.put("reason", reason);
        }
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/customers/" + customer + "/identities").then().log().ifValidationFails();
    }

    private static Response startProof(String token, String customer, String msisdn) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("msisdn", msisdn))
                .post("/api/v1/customers/" + customer + "/msisdn-proofs").andReturn();
    }

    private static io.restassured.response.ValidatableResponse proofAnswer(String token, String customer, String proof, String code) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/api/v1/customers/" + customer + "/msisdn-proofs/" + proof).then().log().ifValidationFails();
    }

    /** The code the SMS platform would deliver to this number for this customer's nth proof of it. */
    private String code(String customerId, String msisdn, int nth) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> customerId.equals(r.key()) && r.value().contains(Masking.msisdn(msisdn)), nth, Duration.ofSeconds(45));
        assertThat(records).hasSizeGreaterThanOrEqualTo(nth);
        JsonNode data = JSON.readTree(records.get(nth - 1).value());
        return new SealedSecrets(sealKey).open(data.at("/parameters/codeSealed").asText());
    }
}
