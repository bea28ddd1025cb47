package io.unichannel.ticket.mapping;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.unichannel.ticket.TroubleTicket;

/**
 * The TMF621 v5 event body published on ticket-events and delivered to hub subscribers: the
 * ticket as it is after the change, without its full history; {@code @type} names the event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"@type", "eventId"})
public record TroubleTicketEvent(@com.fasterxml.jackson.annotation.JsonProperty("@type") String type, String eventId, OffsetDateTime eventTime, String eventType, String correlationId,
        int sequence, List<String> fieldPath, Map<String, TroubleTicketDto> event, List<SlaClockView> slaClocks,
        SlaStageView slaStage) {

    public static TroubleTicketEvent of(UUID eventId, String eventType, TroubleTicket ticket, List<String> fieldPath) {
        return of(eventId, eventType, ticket, fieldPath, null, null);
    }

    /**
     * @param slaClocks the clocks this change started, paused, resumed, stopped or re-targeted
     * @param slaStage  the warning, breach or escalation step this event reports
     */
    public static TroubleTicketEvent of(UUID eventId, String eventType, TroubleTicket ticket, List<String> fieldPath,
            List<SlaClockView> slaClocks, SlaStageView slaStage) {
        return new TroubleTicketEvent(eventType, eventId.toString(), ticket.lastUpdate, eventType, ticket.requestId.toString(),
                ticket.sequence, fieldPath == null || fieldPath.isEmpty() ? null : fieldPath,
                Map.of("troubleTicket", TroubleTicketDto.forEvent(ticket, fieldPath)),
                slaClocks == null || slaClocks.isEmpty() ? null : slaClocks, slaStage);
    }
}
