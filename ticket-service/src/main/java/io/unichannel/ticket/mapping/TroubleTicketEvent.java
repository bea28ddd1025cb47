package io.unichannel.ticket.mapping;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.unichannel.ticket.TroubleTicket;

/** The TMF621 event body published on ticket-events: the ticket as it is after the change, without its full history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TroubleTicketEvent(String eventId, OffsetDateTime eventTime, String eventType, String correlationId,
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
        return new TroubleTicketEvent(eventId.toString(), ticket.lastUpdate, eventType, ticket.requestId.toString(),
                ticket.sequence, fieldPath == null || fieldPath.isEmpty() ? null : fieldPath,
                Map.of("troubleTicket", TroubleTicketDto.forEvent(ticket, fieldPath)),
                slaClocks == null || slaClocks.isEmpty() ? null : slaClocks, slaStage);
    }
}
