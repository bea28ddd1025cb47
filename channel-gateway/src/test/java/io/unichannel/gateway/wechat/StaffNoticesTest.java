package io.unichannel.gateway.wechat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.gateway.SmsPlatformStub;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SLA notices reach people where they asked for them: a supervisor who reads their notices by
 * text gets the region's breach on their mobile, once however often it is delivered; one who reads
 * them on the desk only is not texted; with identity-service away the notice waits parked and goes
 * out once it answers.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class StaffNoticesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void back() {
        IdentityServiceResource.down = false;
    }

    private static String staff(String ops, String username, String region, String mobile, String noticeChannel) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("username", username, "name", "Sup " + username, "role", "supervisor",
                "region", region, "password", "Pw-" + username + "-1"));
        body.put("mobile", mobile);
        body.put("noticeChannel", noticeChannel);
        given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON).body(body)
                .post("/api/v1/staff").then().statusCode(201);
        return username;
    }

    /** A staff notice as ticket-service's SLA timer publishes it (TicketEvents.staffNotification), checked against its schema. */
    private static String slaNotice(String staffId, String ticketId) throws Exception {
        String id = UUID.randomUUID().toString();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("ticketId", ticketId);
        parameters.put("metric", "resolution");
        parameters.put("policyId", "complaint-standard");
        parameters.put("stage", "breach");
        parameters.put("at", 1.0);
        parameters.put("dueAt", "2026-12-07T10:00:00Z");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("notificationId", id);
        data.put("staffId", staffId);
        data.put("channel", "staff");
        data.put("template", "sla-breach");
        data.put("parameters", parameters);
        data.put("relatedTicketId", ticketId);
        data.put("requestedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        String payload = JSON.writeValueAsString(data);
        EventSchemaAssert.assertValidPayload(EventTypes.NOTIFICATION_REQUESTED, payload);
        publish(staffId, payload);
        return payload;
    }

    private static void publish(String key, String payload) {
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.NOTIFICATIONS, key,
                CloudEvent.of("/unichannel/ticket-service", EventTypes.NOTIFICATION_REQUESTED, key, payload)));
    }

    @Test
    void aSupervisorWhoAskedForTextsIsTextedTheRegionsBreachOnceAndTheDeskOnlyOneIsNot() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String region = "sn-" + suffix;
        String texted = "133" + String.format("%08d", new Random().nextInt(100_000_000));
        String deskOnly = "132" + String.format("%08d", new Random().nextInt(100_000_000));
        staff(ops, "sup-t-" + suffix, region, texted, "sms");
        staff(ops, "sup-d-" + suffix, region, deskOnly, "desk");

        String ticketId = "TT-SN-" + suffix;
        String payload = slaNotice("supervisors:" + region, ticketId);
        String text = SmsPlatformStub.next(texted, 30);
        assertThat(text).as("the supervisor who asked for texts is texted").isNotNull().contains(ticketId).contains("SLA超时")
                .contains("解决");
        publish("supervisors:" + region, payload);
        assertThat(SmsPlatformStub.next(texted, 3)).as("once, however often it is delivered").isNull();
        assertThat(SmsPlatformStub.next(deskOnly, 1)).as("desk only: no text").isNull();

        // identity-service away: the notice waits parked, then goes out.
        IdentityServiceResource.down = true;
        String later = "TT-SN2-" + suffix;
        JSON.readTree(slaNotice("sup-t-" + suffix, later));
        String parked = Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> parkedOf(later), java.util.Objects::nonNull);
        assertThat(parked).contains("identity-service");
        IdentityServiceResource.down = false;
        assertThat(SmsPlatformStub.next(later, 60)).as("texted once identity-service answers").isNotNull().contains(texted);
    }

    /** Why the staff notice about this ticket is parked, or null. */
    private static String parkedOf(String ticketId) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/gateway_test";
        try (var db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                var query = db.prepareStatement("SELECT reason FROM parked_notice WHERE purpose = 'staff' AND payload LIKE ?")) {
            query.setString(1, "%" + ticketId + "%");
            try (var row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
