package io.unichannel.ticket.mapping;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.unichannel.ticket.sla.SlaClock;
import io.unichannel.ticket.sla.SlaEngine;

/**
 * A clock as staff and consumers see it: its target, state, the time used and left (in the
 * clock's own time: business or calendar), and when it falls due if it keeps running.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SlaClockView(String metric, String policyId, String policyVersion, boolean regulatory, String time,
        String calendar, String target, String state, long usedSeconds, long remainingSeconds, OffsetDateTime dueAt,
        OffsetDateTime startedAt, OffsetDateTime stoppedAt, boolean breached, OffsetDateTime breachedAt, String outcome,
        String responsible) {

    public static SlaClockView of(SlaClock c, SlaEngine engine, Instant now) {
        long used = engine.usedMillis(c, now);
        return new SlaClockView(c.metric, c.policyId, c.policyVersion, c.regulatory, c.time, c.calendar, c.target,
                c.state, used / 1000, Math.max(0, c.targetMillis - used) / 1000, utc(c.dueAt), utc(c.startedAt),
                utc(c.stoppedAt), c.breached, utc(c.breachedAt), c.outcome, c.responsible);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
