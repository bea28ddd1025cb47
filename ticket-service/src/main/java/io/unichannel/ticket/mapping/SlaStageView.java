package io.unichannel.ticket.mapping;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stage of the SLA ladder that fired: a warning, the breach, or an escalation step, with the
 * clock it belongs to, when it was due and who was told.
 *
 * @param at    the fraction of the target at which the stage fires (1.0 is the breach)
 * @param dueAt when the stage was due; the event's time minus this is the firing lag
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlaStageView(String action, double at, OffsetDateTime dueAt, SlaClockView clock, List<String> notified,
        String group) {
}
