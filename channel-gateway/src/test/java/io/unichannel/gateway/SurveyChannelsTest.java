package io.unichannel.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Survey invitations from survey-service on the channels that answer with keys: an SMS customer
 * gets the one question and answers by replying a digit; a hotline customer gets an IVR survey
 * call through the CTI and answers by key presses. Each answer reaches survey-replies once, in
 * the shape its schema says; an out-of-range key is refused and a late digit is not an answer.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CtiStub.class, restrictToAnnotatedClass = true)
class SurveyChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "gateway.sms.webhook-secret")
    String smsSecret;

    @ConfigProperty(name = "gateway.cti.webhook-secret")
    String ctiSecret;

    private static TestCustomers.Contact register(String preferred) {
        return TestCustomers.withNumber("136", preferred);
    }

    /** A survey invitation as survey-service publishes it on notifications. */
    private static String invite(String customerId, String channel) throws Exception {
        String invitationId = UUID.randomUUID().toString();
        Map<String, Object> parameters = Map.ofEntries(Map.entry("invitationId", invitationId),
                Map.entry("questionnaireId", "fault-repair"), Map.entry("purpose", "satisfaction"),
                Map.entry("title", "故障修复满意度调查"), Map.entry("intro", "您的故障已修复。"),
                Map.entry("link", "http://127.0.0.1:8183/survey/AAAAAAAAAAAAAAAAAAAAAA"), Map.entry("smsQuestionId", "csat"),
                Map.entry("smsText", "您对本次故障维修是否满意？ 请回复1-5"), Map.entry("smsLow", 1), Map.entry("smsHigh", 5),
                Map.entry("ivrPrompts", "[{\"questionId\":\"csat\",\"text\":\"满意请按5\",\"low\":1,\"high\":5},"
                        + "{\"questionId\":\"fcr\",\"text\":\"一次修复请按1，否则按2\",\"low\":1,\"high\":2}]"),
                Map.entry("reminder", false));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String data = JSON.writeValueAsString(Map.of("notificationId", "survey:" + invitationId, "customerId", customerId,
                "channel", channel, "template", "survey-invitation", "parameters", parameters, "relatedTicketId", "TT-SV-1",
                "requestedAt", now.toString(), "expiresAt", now.plusDays(3).toString()));
        EventSchemaAssert.assertValidPayload(EventTypes.NOTIFICATION_REQUESTED, data);
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.NOTIFICATIONS, customerId,
                CloudEvent.of(Topics.SURVEY_SERVICE, EventTypes.NOTIFICATION_REQUESTED, customerId, data)));
        return invitationId;
    }

    private static List<JsonNode> replies(String invitationId, int expected, Duration wait) throws Exception {
        List<ConsumerRecord<String, String>> found = KafkaTestSupport.readMatching(Topics.SURVEY_REPLIES,
                r -> invitationId.equals(r.key()), expected, wait);
        List<JsonNode> replies = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> r : found) {
            replies.add(JSON.readTree(EventSchemaAssert.assertValidEvent(r).data()));
        }
        return replies;
    }

    @Test
    void anSmsCustomerAnswersTheSurveyByReplyingADigit() throws Exception {
        TestCustomers.Contact customer = register("sms");
        SmsPlatformStub.RECEIVED.clear();
        String invitationId = invite(customer.id(), "sms");
        String text = SmsPlatformStub.next(customer.msisdn(), 20);
        assertThat(text).as("the survey question by SMS").isNotNull().contains(customer.msisdn()).contains("请回复1-5");

        ChannelCalls.smsInbound(smsSecret, customer.msisdn(), "7", "sv-" + invitationId.substring(0, 8)).then().statusCode(200);
        assertThat(SmsPlatformStub.next(customer.msisdn(), 10)).as("asked again within range").contains("1-5");
        ChannelCalls.smsInbound(smsSecret, customer.msisdn(), "4", "sv2-" + invitationId.substring(0, 8)).then().statusCode(200);
        assertThat(SmsPlatformStub.next(customer.msisdn(), 10)).contains("感谢");
        List<JsonNode> replies = replies(invitationId, 1, Duration.ofSeconds(10));
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).path("channel").asText()).isEqualTo("sms");
        assertThat(replies.get(0).at("/answers/0/questionId").asText()).isEqualTo("csat");
        assertThat(replies.get(0).at("/answers/0/key").asText()).isEqualTo("4");

        // A later digit answers nothing: the survey was answered; the customer gets the keywords.
        ChannelCalls.smsInbound(smsSecret, customer.msisdn(), "5", "sv3-" + invitationId.substring(0, 8)).then().statusCode(200);
        assertThat(SmsPlatformStub.next(customer.msisdn(), 10)).contains("CX");
        assertThat(replies(invitationId, 2, Duration.ofSeconds(3))).hasSize(1);
    }

    @Test
    void aHotlineCustomerIsSurveyedByAnIvrCallAndAnswersByKeyPresses() throws Exception {
        TestCustomers.Contact customer = register("sms");
        CtiStub.CALLS.clear();
        String invitationId = invite(customer.id(), "hotline");
        String call = CtiStub.callFor(invitationId, 20);
        assertThat(call).as("an IVR survey call").isNotNull();
        JsonNode placed = JSON.readTree(call);
        assertThat(placed.path("surveyId").asText()).isEqualTo(invitationId);
        assertThat(placed.path("to").asText()).isEqualTo(customer.msisdn());
        assertThat(placed.path("prompts")).hasSize(2);
        assertThat(placed.at("/prompts/1/keys").asText()).isEqualTo("1-2");

        String path = "/channels/hotline/survey-calls/" + invitationId + "/keys";
        signed("{\"callId\":\"c-1\",\"keys\":{\"csat\":4,\"fcr\":3}}").post(path).then().statusCode(400);
        signed("{\"callId\":\"c-1\",\"keys\":{\"csat\":4}}").post(path).then().statusCode(400);
        signed("{\"callId\":\"c-1\",\"keys\":{\"csat\":\"x\",\"fcr\":1}}").post(path).then().statusCode(400);
        signed("{\"callId\":\"c-1\",\"keys\":{\"csat\":4,\"fcr\":1}}").post("/channels/hotline/survey-calls/"
                + UUID.randomUUID() + "/keys").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"keys\":{\"csat\":4,\"fcr\":1}}").post(path).then().statusCode(401);
        // Generated hostile bodies (out of range at best) are refused with a 4xx and leave the call open.
        for (var v : io.unichannel.common.testing.HostilePayloads.of("{\"callId\":\"c-1\",\"keys\":{\"csat\":9,\"fcr\":1}}",
                List.of("callId", "keys"), 40, System.nanoTime())) {
            assertThat(signed(v.payload()).post(path).then().extract().statusCode()).as(v.description()).isBetween(400, 499);
        }
        signed("{\"callId\":\"c-1\",\"keys\":{\"csat\":4,\"fcr\":1}}").post(path).then().statusCode(200);
        List<JsonNode> replies = replies(invitationId, 1, Duration.ofSeconds(10));
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).path("channel").asText()).isEqualTo("hotline");
        assertThat(replies.get(0).path("answers")).hasSize(2);
        signed("{\"callId\":\"c-1\",\"keys\":{\"csat\":1,\"fcr\":2}}").post(path).then().statusCode(404);
    }

    private io.restassured.specification.RequestSpecification signed(String body) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return given().contentType(ContentType.JSON).body(body).header("X-Cti-Timestamp", ts)
                .header("X-Cti-Signature", WebhookSignature.sign(ctiSecret, ts, body));
    }
}
