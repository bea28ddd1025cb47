package io.unichannel.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;

/** Writes ticket, survey and call events as their producers do (CloudEvents in binary mode, TMF621 bodies). */
final class AnalyticsEvents {

    static final ObjectMapper JSON = new ObjectMapper();

    private AnalyticsEvents() {
    }

    /** One ticket event: the ticket as it is after the change, with its status history so far. */
    static void ticket(String type, String id, int sequence, String ticketType, String channel, String region, String customer,
            String agent, Instant created, List<Map<String, Object>> history, Instant resolved, Map<String, Object> slaStage) {
        ticketFrom(Topics.TICKET_SERVICE, type, id, sequence, ticketType, channel, region, customer, agent, created, history,
                resolved, slaStage);
    }

    /** A ticket event published in the name of {@code source} (a forgery unless it is ticket-service). */
    static void ticketFrom(String source, String type, String id, int sequence, String ticketType, String channel, String region,
            String customer, String agent, Instant created, List<Map<String, Object>> history, Instant resolved,
            Map<String, Object> slaStage) {
        List<Map<String, Object>> parties = new ArrayList<>(List.of(Map.of("id", customer, "role", "customer", "@referredType", "Customer")));
        if (agent != null) {
            parties.add(Map.of("id", agent, "role", "assignee", "@referredType", "Individual"));
        }
        Map<String, Object> ticket = new java.util.LinkedHashMap<>();
        ticket.put("id", id);
        ticket.put("ticketType", ticketType);
        ticket.put("description", "generated");
        ticket.put("severity", "minor");
        ticket.put("status", history.get(history.size() - 1).get("status"));
        ticket.put("statusChangeHistory", history);
        ticket.put("creationDate", created.toString());
        ticket.put("lastUpdate", history.get(history.size() - 1).get("changeDate"));
        ticket.put("channel", Map.of("name", channel));
        ticket.put("relatedParty", parties);
        ticket.put("region", region);
        if (history.size() >= 2) {
            // In these generated lives a person takes every ticket up: ticket-service notes the first time.
            ticket.put("troubleTicketCharacteristic", List.of(Map.of("name", "firstResponseDate", "valueType", "string",
                    "value", history.get(1).get("changeDate"), "@type", "StringCharacteristic")));
        }
        if (resolved != null) {
            ticket.put("resolutionDate", resolved.toString());
        }
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("eventId", UUID.nameUUIDFromBytes((id + ":" + sequence).getBytes()).toString());
        event.put("eventTime", history.get(history.size() - 1).get("changeDate"));
        event.put("eventType", type);
        event.put("correlationId", UUID.randomUUID().toString());
        event.put("sequence", sequence);
        event.put("event", Map.of("troubleTicket", ticket));
        if (slaStage != null) {
            event.put("slaStage", slaStage);
        }
        send(Topics.TICKET_EVENTS, source, type, id, event);
    }

    static void send(String topic, String source, String type, String key, Object body) {
        try {
            KafkaTestSupport.send(CloudEventRecords.toRecord(topic, key, CloudEvent.of(source, type, key, JSON.writeValueAsString(body))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void raw(String topic, String type, String key, String value) {
        KafkaTestSupport.send(CloudEventRecords.toRecord(topic, key, CloudEvent.of(Topics.TICKET_SERVICE, type, key, value)));
    }

    static Map<String, Object> status(String status, Instant at) {
        return Map.of("status", status, "changeDate", at.toString());
    }

    static String created() {
        return EventTypes.TROUBLE_TICKET_CREATE;
    }
}
