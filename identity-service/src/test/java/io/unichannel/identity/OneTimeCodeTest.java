package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.unichannel.common.events.Topics;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import io.unichannel.identity.Customers.Registered;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One-time codes for hotline and SMS sign-in: the code reaches the customer's phone only through
 * the notifications topic (sealed for the gateway), expires, and five wrong tries lock the flow.
 */
@QuarkusTest
class OneTimeCodeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static String agentToken;

    @Inject
    DataSource db;

    @ConfigProperty(name = "platform.notification-seal-key")
    String sealKey;

    @BeforeAll
    static void realm() {
        agentToken = Customers.agentToken();
    }

    @Test
    void theCodeSentToThePhoneSignsTheCustomerInOnTheSmsChannel() throws Exception {
        Registered customer = Customers.register(agentToken);
        String sms = KeycloakTestSupport.serviceAccountToken("channel-sms");
        String challenge = sendCode(sms, customer.msisdn());
        String code = deliveredCode(customer.id(), challenge);

        String token = answer(sms, challenge, code).statusCode(200).extract().path("access_token");
        assertThat(Tokens.claims(token).get("azp").asText()).isEqualTo("channel-sms");
        assertThat(Tokens.claims(token).get("customer_id").asText()).isEqualTo(customer.id());
        String appSubject = Tokens.claims(KeycloakTestSupport.passwordToken("channel-app", customer.appUser())).get("sub").asText();
        assertThat(Tokens.claims(token).get("sub").asText()).isEqualTo(appSubject);

        // A code works once, and once used not even its hash is kept.
        answer(sms, challenge, code).statusCode(400)
                .body("type", equalTo("urn:unichannel:problem:code-expired"));
        try (Connection c = db.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "SELECT code_hash FROM otp_challenge WHERE id = ?::uuid")) {
            q.setString(1, challenge);
            try (java.sql.ResultSet r = q.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("used");
            }
        }

        // The code is nowhere in clear: not in the database (challenge, outbox), not in the log.
        // (Hashes and UUIDs are hex: a run of six digits inside one is not the code.)
        assertThat(standalone(code).matcher(databaseDump()).find()).as("code in the database").isFalse();
        assertThat(standalone(code).matcher(Files.readString(Path.of("target/identity-service-test.log"))).find())
                .as("code in the log").isFalse();
    }

    @Test
    void fiveWrongTriesLockTheFlowEvenForTheRightCode() throws Exception {
        Registered customer = Customers.register(agentToken);
        String hotline = KeycloakTestSupport.serviceAccountToken("channel-hotline");
        String challenge = sendCode(hotline, customer.msisdn());
        String code = deliveredCode(customer.id(), challenge);
        String wrong = code.equals("000000") ? "111111" : "000000";

        for (int attempt = 1; attempt <= 4; attempt++) {
            answer(hotline, challenge, wrong).statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:unichannel:problem:verification-failed"))
                    .body("remainingAttempts", equalTo(5 - attempt));
        }
        answer(hotline, challenge, wrong).statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:unichannel:problem:sign-in-locked"));
        // Locked: the right code does not help, nor does a fresh code.
        answer(hotline, challenge, code).statusCode(429);
        given().auth().oauth2(hotline).contentType(ContentType.JSON).body(Map.of("msisdn", customer.msisdn()))
                .post("/api/v1/sign-in/one-time-codes").then().statusCode(429);
        // Other sign-in flows and other numbers are not locked.
        Registered other = Customers.register(agentToken);
        sendCode(hotline, other.msisdn());
    }

    @Test
    void anExpiredCodeFails() throws Exception {
        Registered customer = Customers.register(agentToken);
        String sms = KeycloakTestSupport.serviceAccountToken("channel-sms");
        String challenge = sendCode(sms, customer.msisdn());
        String code = deliveredCode(customer.id(), challenge);
        Thread.sleep(4_500); // the test profile's codes live four seconds
        answer(sms, challenge, code).statusCode(400)
                .body("type", equalTo("urn:unichannel:problem:code-expired"));
        // Expired unused, its hash is wiped by the sweep (every 2 s in tests): nothing usable is kept.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> codeHash(challenge), "expired"::equals);
    }

    private String codeHash(String challenge) throws java.sql.SQLException {
        try (var connection = db.getConnection();
                var select = connection.prepareStatement("SELECT code_hash FROM otp_challenge WHERE id = ?")) {
            select.setObject(1, java.util.UUID.fromString(challenge));
            try (var row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    @Test
    void badInputIsAProblemAndSendsNothing() {
        String sms = KeycloakTestSupport.serviceAccountToken("channel-sms");
        given().auth().oauth2(sms).contentType(ContentType.JSON).body(Map.of("msisdn", "not-a-number"))
                .post("/api/v1/sign-in/one-time-codes").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(sms).contentType(ContentType.JSON).body(Map.of("msisdn", "13000000000"))
                .post("/api/v1/sign-in/one-time-codes").then().statusCode(404);
        given().auth().oauth2(KeycloakTestSupport.serviceAccountToken("channel-wechat")).contentType(ContentType.JSON)
                .body(Map.of("code", "123456")).post("/api/v1/sign-in/one-time-codes/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("msisdn", "13000000000"))
                .post("/api/v1/sign-in/one-time-codes").then().statusCode(401);
    }

    static ValidatableResponse answer(String adapterToken, String challenge, String code) {
        return given().auth().oauth2(adapterToken).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/api/v1/sign-in/one-time-codes/" + challenge).then();
    }

    static String sendCode(String adapterToken, String msisdn) {
        return given().auth().oauth2(adapterToken).contentType(ContentType.JSON).body(Map.of("msisdn", msisdn))
                .post("/api/v1/sign-in/one-time-codes").then().statusCode(201)
                .body("sentTo", equalTo(msisdn.substring(0, 3) + "****" + msisdn.substring(7)))
                .extract().path("challengeId");
    }

    /** What the gateway's SMS sender gets: the notification for this customer, with the code sealed. */
    String deliveredCode(String customerId, String challengeId) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> customerId.equals(r.key()), 1, Duration.ofSeconds(45));
        assertThat(records).as("one-time code notification for " + customerId).isNotEmpty();
        ConsumerRecord<String, String> record = records.get(records.size() - 1);
        EventSchemaAssert.assertValidEvent(record);
        JsonNode data = JSON.readTree(record.value());
        assertThat(data.get("template").asText()).isEqualTo("one-time-code");
        String sealed = data.get("parameters").get("codeSealed").asText();
        String code = new SealedSecrets(sealKey).open(sealed);
        assertThat(code).matches("[0-9]{6}");
        assertThat(record.value()).doesNotContain(code);
        return code;
    }

    static java.util.regex.Pattern standalone(String code) {
        return java.util.regex.Pattern.compile("(?<![0-9a-fA-F])" + code + "(?![0-9a-fA-F])");
    }

    /** The rows a code could have leaked into: challenges, the outbox, the sign-in records. */
    private String databaseDump() throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT * FROM otp_challenge", "SELECT * FROM outbox_event", "SELECT * FROM sign_in_audit",
                    "SELECT * FROM sign_in_guard")) {
                try (ResultSet rows = s.executeQuery(sql)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            text.append(rows.getString(i)).append('|');
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }
}
