package io.unichannel.survey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Poison on survey-service's inputs: generated hostile resolutions on ticket-events and hostile
 * replies on survey-replies (control characters, invalid Unicode, over-long values, wrong types,
 * missing fields, broken documents) are set aside with a reason, and a good resolution and a good
 * reply sent after them are still handled within seconds.
 */
@QuarkusTest
class SurveyPoisonTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void hostileResolutionsAndRepliesAreSetAsideAndGoodOnesStillCount() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        long seed = System.nanoTime();
        Set<String> brokenKeys = new HashSet<>();

        // Resolutions: the template is a good one; every variant goes under a key of its own.
        String template = "TT-PT-" + UUID.randomUUID().toString().substring(0, 8);
        String goodResolution = """
                {"eventId":"%s","eventType":"TroubleTicketResolvedEvent","event":{"troubleTicket":{"id":"%s",\
                "ticketType":"complaint","status":"resolved","channel":{"name":"app"},\
                "relatedParty":[{"id":"C-%s","role":"customer","@referredType":"Customer"}],"region":"gz-tianhe"}}}"""
                .formatted(UUID.randomUUID(), template, UUID.randomUUID());
        for (HostilePayloads.Variant v : HostilePayloads.of(goodResolution, List.of("eventId", "eventType", "event"), 40, seed)) {
            String key = "TT-PK-" + UUID.randomUUID().toString().substring(0, 12);
            if (!v.description().contains("attack") && !v.description().startsWith("without")) {
                brokenKeys.add(key);
            }
            KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, key,
                    CloudEvent.of(Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_RESOLVED, key, v.payload())));
        }

        // Replies: aimed at an invitation that really exists (an SMS survey).
        String smsTicket = "TT-PS-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(smsTicket, "consultation", "sms", "C-" + UUID.randomUUID(), "gz-tianhe", "agent-li", null);
        JsonNode invitation = SurveyFlowTest.invitationFor(smsTicket);
        String invitationId = invitation.at("/parameters/invitationId").asText();
        String goodReply = """
                {"replyId":"sms:p-%s","invitationId":"%s","channel":"sms","answers":[{"questionId":"csat","key":"9"}],\
                "capturedAt":"%s"}""".formatted(UUID.randomUUID(), invitationId, OffsetDateTime.now(ZoneOffset.UTC));
        for (HostilePayloads.Variant v : HostilePayloads.of(goodReply,
                List.of("replyId", "invitationId", "channel", "answers", "capturedAt"), 40, seed + 1)) {
            String key = "reply-" + UUID.randomUUID();
            if (!v.description().contains("attack") && !v.description().startsWith("without")) {
                brokenKeys.add(key);
            }
            KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.SURVEY_REPLIES, key, new CloudEvent(key, Topics.CHANNEL_GATEWAY,
                    EventTypes.SURVEY_REPLY_CAPTURED, key, OffsetDateTime.now(ZoneOffset.UTC), v.payload())));
        }

        // Good ones after all of that: a resolution is invited, and a reply (a digit in range) is recorded.
        String goodTicket = "TT-PG-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(goodTicket, "faultRepair", "app", "C-" + UUID.randomUUID(), "gz-tianhe", "agent-li", null);
        assertThat(SurveyFlowTest.invitationFor(goodTicket).path("channel").asText()).isEqualTo("app");
        SurveyEvents.reply("sms:good-" + UUID.randomUUID(), invitationId, "sms", Map.of("csat", "4"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() ->
                "answered".equals(given().baseUri(base.toString()).auth().oauth2(ops).queryParam("ticketId", smsTicket)
                        .get("/api/v1/surveys").then().statusCode(200).extract().jsonPath().getString("[0].status")));
        assertThat(given().baseUri(base.toString()).auth().oauth2(ops).queryParam("ticketId", smsTicket).get("/api/v1/surveys")
                .then().extract().jsonPath().getInt("[0].csat")).as("the digit out of range (9) was never an answer").isEqualTo(4);

        // Every broken document went to dead-letters with survey-service's reason.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> lettered = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> brokenKeys.contains(r.key()),
                    brokenKeys.size(), Duration.ofMillis(500)).stream().peek(letter -> {
                        EventSchemaAssert.assertValidEvent(letter);
                        assertThat(letter.value()).contains("\"consumer\":\"survey-service\"").contains("\"reason\":\"");
                    }).map(ConsumerRecord::key).collect(Collectors.toSet());
            assertThat(lettered).as("seed %d", seed).containsAll(brokenKeys);
        });
    }
}
