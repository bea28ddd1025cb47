package io.unichannel.ticket.service;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.outbox.OutboxEvent;
import io.unichannel.ticket.TroubleTicket;
import io.unichannel.ticket.mapping.SlaClockView;
import io.unichannel.ticket.mapping.SlaStageView;
import io.unichannel.ticket.mapping.TroubleTicketEvent;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds the outbox rows of ticket-service: ticket events for ticket-events, staff notifications for notifications. */
@ApplicationScoped
public class TicketEvents {

    private static final String AGGREGATE = "TroubleTicket";

    private final ObjectMapper json;

    public TicketEvents(ObjectMapper json) {
        this.json = json;
    }

    public OutboxEvent ticket(TroubleTicket ticket, String eventType, List<String> changed) {
        return ticket(ticket, eventType, changed, null, null);
    }

    public OutboxEvent ticket(TroubleTicket ticket, String eventType, List<String> changed, List<SlaClockView> clocks,
            SlaStageView stage) {
        UUID eventId = UUID.randomUUID();
        return OutboxEvent.of(eventId, AGGREGATE, ticket.id, eventType, ticket.lastUpdate,
                write(TroubleTicketEvent.of(eventId, eventType, ticket, changed, clocks, stage), ticket.id));
    }

    /**
     * A message for staff (an agent, a region's supervisors, a named responsible person), delivered
     * by the agent desk or the operator's paging system.
     */
    public OutboxEvent staffNotification(String staffId, String template, TroubleTicket ticket,
            Map<String, Object> parameters, OffsetDateTime at) {
        UUID id = UUID.randomUUID();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("notificationId", id.toString());
        data.put("staffId", staffId);
        data.put("channel", "staff");
        data.put("template", template);
        data.put("parameters", parameters);
        data.put("relatedTicketId", ticket.id);
        data.put("requestedAt", Timestamps.rfc3339(at));
        return OutboxEvent.of(id, "Notification", staffId, EventTypes.NOTIFICATION_REQUESTED, at, write(data, ticket.id))
                .to(Topics.NOTIFICATIONS);
    }

    private String write(Object value, String ticketId) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of ticket " + ticketId + " could not be written", e);
        }
    }
}
