package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Renewal reminders of proactive care, by the gateway's (test) clock: a reminder reaches the
 * customer once on their preferred channel, waits out quiet hours, is never sent to someone who
 * opted out of marketing, and stops at the contact budget; accepting the offer opens one
 * package-change request, however often it is accepted, and nobody else can accept it.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class CareNoticesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @AfterEach
    void realTime() {
        TestClock.reset();
    }

    /** A renewal reminder as ticket-service's care pass publishes it on notifications. */
    private static String remind(String customerId, String offered) throws Exception {
        String offerId = UUID.randomUUID().toString();
        String data = reminder(offerId, customerId, offered);
        EventSchemaAssert.assertValidPayload(EventTypes.NOTIFICATION_REQUESTED, data);
        send(customerId, data);
        return offerId;
    }

    private static String reminder(String offerId, String customerId, String offered) throws Exception {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(Map.of("offerId", offerId, "contractEndDate", "2031-03-16",
                "currentPackage", "M-59", "currentPackageName", "5G Smart 59",
                "message", "You use about 31 GB a month: 5G Plus 99 (99 yuan a month) gives you more for your next contract."));
        if (offered != null) {
            parameters.put("offeredPackage", offered);
            parameters.put("offeredPackageName", "5G Plus 99");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return JSON.writeValueAsString(Map.of("notificationId", "care:" + offerId, "customerId", customerId, "channel", "sms",
                "template", "care-renewal", "parameters", parameters, "requestedAt", now.toString(),
                "expiresAt", now.plusDays(15).toString()));
    }

    private static void send(String key, String data) {
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.NOTIFICATIONS, key,
                CloudEvent.of("/unichannel/ticket-service", EventTypes.NOTIFICATION_REQUESTED, key, data)));
    }

    private static String state(String offerId) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/gateway_test";
        try (var db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                var query = db.prepareStatement("SELECT state FROM care_notice WHERE offer_id = ?")) {
            query.setString(1, offerId);
            try (var row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    @Test
    void aReminderAtNightIsTextedInTheMorningOnceAndItsOfferAcceptedOnce() throws Exception {
        TestCustomers.Contact customer = TestCustomers.withNumber("135", "sms");
        SmsPlatformStub.RECEIVED.clear();
        LocalDate today = LocalDate.now(SHANGHAI);
        TestClock.set(today.atTime(LocalTime.of(23, 30)).atZone(SHANGHAI).toInstant());
        String offerId = remind(customer.id(), "M-99");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "waiting".equals(state(offerId)));
        assertThat(SmsPlatformStub.next(customer.msisdn(), 5)).as("nothing during quiet hours").isNull();

        TestClock.set(today.plusDays(1).atTime(LocalTime.of(9, 1)).atZone(SHANGHAI).toInstant());
        String text = SmsPlatformStub.next(customer.msisdn(), 20);
        assertThat(text).as("the reminder on the preferred channel, in the morning").isNotNull()
                .contains("5G Plus 99").contains(offerId);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(state(offerId)));
        assertThat(Notices.outcome("care:" + offerId)).isEqualTo("sent");
        assertThat(SmsPlatformStub.next(customer.msisdn(), 4)).as("sent once").isNull();

        String token = customer.token("channel-app");
        given().auth().oauth2(token).get("/api/v1/offers/" + offerId).then().statusCode(200)
                .body("offeredPackage", org.hamcrest.Matchers.equalTo("M-99"));
        TestCustomers.Contact stranger = TestCustomers.withNumber("135", "app");
        given().auth().oauth2(stranger.token("channel-app")).post("/api/v1/offers/" + offerId + "/accept").then().statusCode(404);

        String first = given().auth().oauth2(token).post("/api/v1/offers/" + offerId + "/accept").then().statusCode(202)
                .extract().path("requestId");
        String again = given().auth().oauth2(token).post("/api/v1/offers/" + offerId + "/accept").then().statusCode(202)
                .extract().path("requestId");
        assertThat(again).as("accepting twice is one request").isEqualTo(first);
        // The intake may publish a repeated submission again; ticket-service opens one ticket per request id.
        List<ConsumerRecord<String, String>> requests = KafkaTestSupport.readMatching(Topics.CHANNEL_REQUESTS,
                r -> r.value() != null && r.value().contains(offerId), 2, Duration.ofSeconds(10));
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.key()).isEqualTo(first));
        JsonNode request = JSON.readTree(EventSchemaAssert.assertValidEvent(requests.get(0)).data());
        assertThat(request.path("requestType").asText()).isEqualTo("businessRequest");
        assertThat(request.at("/attributes/intent").asText()).isEqualTo("packageChange");
        assertThat(request.at("/attributes/targetPackage").asText()).isEqualTo("M-99");
        assertThat(request.path("customerId").asText()).isEqualTo(customer.id());
    }

    @Test
    void nobodyWhoOptedOutOfMarketingIsRemindedAndTheBudgetCapsProactiveContacts() throws Exception {
        TestCustomers.Contact optedOut = TestCustomers.withNumber("135", "sms");
        given().auth().oauth2(optedOut.token("channel-app")).contentType(ContentType.JSON)
                .body(Map.of("optOut", List.of("marketing"))).put("/api/v1/notification-preferences").then().statusCode(200);
        TestClock.set(LocalDate.now(SHANGHAI).atTime(LocalTime.of(10, 0)).atZone(SHANGHAI).toInstant());
        SmsPlatformStub.RECEIVED.clear();
        String quiet = remind(optedOut.id(), "M-99");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "opted-out".equals(state(quiet)));
        assertThat(SmsPlatformStub.next(optedOut.msisdn(), 3)).isNull();

        // The budget (3 in 30 days, surveys and reminders together): the fourth reminder is not sent.
        TestCustomers.Contact busy = TestCustomers.withNumber("135", "sms");
        List<String> offers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String offer = remind(busy.id(), null);
            offers.add(offer);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !"waiting".equals(state(offer)));
        }
        assertThat(offers.subList(0, 3)).allSatisfy(o -> assertThat(state(o)).isEqualTo("sent"));
        assertThat(state(offers.get(3))).isEqualTo("over-budget");
        // A reminder with no offer cannot be accepted.
        given().auth().oauth2(busy.token("channel-app")).post("/api/v1/offers/" + offers.get(0) + "/accept").then().statusCode(409);
    }
    @Test
    void hostileRemindersAreSkippedAndAGoodOneAfterThemStillGoesOut() throws Exception {
        long seed = System.nanoTime();
        TestCustomers.Contact customer = TestCustomers.withNumber("135", "sms");
        TestClock.set(LocalDate.now(SHANGHAI).atTime(LocalTime.of(11, 0)).atZone(SHANGHAI).toInstant());
        SmsPlatformStub.RECEIVED.clear();
        for (var variant : io.unichannel.common.testing.HostilePayloads.of(reminder(UUID.randomUUID().toString(), "C-fuzz", "M-99"),
                List.of("notificationId", "customerId", "channel", "template", "parameters", "expiresAt"), 40, seed)) {
            send("C-fuzz", variant.payload());
        }
        // Inside the parameters: what care_notice keeps must fit its columns and be clean text.
        List<String> broken = new java.util.ArrayList<>();
        for (String[] damage : List.of(new String[] {"M-99", "M-9\\u00009"}, new String[] {"M-99", "M 99; DROP"},
                new String[] {"5G Plus 99", "x".repeat(200)}, new String[] {"\"channel\":\"sms\"", "\"channel\":\"fax\""},
                new String[] {"gives you more", "gives \\u0007 more"})) {
            String offerId = UUID.randomUUID().toString();
            broken.add(offerId);
            send(customer.id(), reminder(offerId, customer.id(), "M-99").replace(damage[0], damage[1]));
        }
        String good = remind(customer.id(), "M-99");
        assertThat(SmsPlatformStub.next(customer.msisdn(), 30)).as("the good reminder after %d hostile ones (seed %d)", 45, seed)
                .isNotNull().contains(good);
        for (String offerId : broken) {
            assertThat(state(offerId)).as("a damaged reminder is not kept").isNull();
        }
    }
}
