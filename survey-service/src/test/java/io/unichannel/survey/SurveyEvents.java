package io.unichannel.survey;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;

/** Test data: resolutions as ticket-service publishes them, and replies as the gateway captures them. */
final class SurveyEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SurveyEvents() {
    }

    /** Publishes a TroubleTicketResolvedEvent on ticket-events, as ticket-service would. */
    static void resolved(String ticketId, String type, String channel, String customerId, String region, String agent,
            String followUpOf) throws Exception {
        List<Object> external = new java.util.ArrayList<>(List.of(Map.of("id", UUID.randomUUID().toString(),
                "externalIdentifierType", "channelRequest", "owner", "channel-gateway")));
        if (followUpOf != null) {
            external.add(Map.of("id", followUpOf, "externalIdentifierType", "surveyFollowUp", "owner", "survey-service"));
        }
        Map<String, Object> ticket = new java.util.LinkedHashMap<>();
        ticket.put("id", ticketId);
        ticket.put("ticketType", type);
        ticket.put("status", "resolved");
        ticket.put("channel", Map.of("name", channel));
        ticket.put("relatedParty", List.of(Map.of("id", customerId, "role", "customer", "@referredType", "Customer"),
                Map.of("id", agent, "role", "assignee", "@referredType", "Individual")));
        ticket.put("externalIdentifier", external);
        ticket.put("region", region);
        ticket.put("resolutionDate", "2026-11-30T08:00:00Z");
        String data = JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(), "eventType",
                EventTypes.TROUBLE_TICKET_RESOLVED, "event", Map.of("troubleTicket", ticket)));
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, ticketId,
                CloudEvent.of(Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_RESOLVED, ticketId, data)));
    }

    /** Publishes a SurveyReplyCaptured on survey-replies, as the gateway does for an SMS digit or IVR keys. */
    static void reply(String replyId, String invitationId, String channel, Map<String, String> keys) throws Exception {
        List<Map<String, String>> answers = keys.entrySet().stream()
                .map(e -> Map.of("questionId", e.getKey(), "key", e.getValue())).toList();
        String data = JSON.writeValueAsString(Map.of("replyId", replyId, "invitationId", invitationId, "channel", channel,
                "answers", answers, "capturedAt", "2026-11-30T08:05:00Z"));
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.SURVEY_REPLIES, invitationId,
                new CloudEvent(replyId, Topics.CHANNEL_GATEWAY, EventTypes.SURVEY_REPLY_CAPTURED, invitationId,
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), data)));
    }
}
