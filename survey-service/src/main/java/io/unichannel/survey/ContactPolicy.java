package io.unichannel.survey;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The contact rules applied to one person (the one identity, every channel together): whether a
 * resolution is sampled, whether the person has had enough surveys lately, and when quiet hours
 * let an invitation go. Pure; the service supplies the person's history under a lock, so two
 * replicas deciding at once cannot both invite.
 */
public final class ContactPolicy {

    private final SurveyDefinitions.ContactRules rules;
    private final java.util.function.ToDoubleFunction<String> sampling;

    public ContactPolicy(SurveyDefinitions definitions) {
        this.rules = definitions.contactRules();
        this.sampling = definitions::samplingRate;
    }

    /**
     * Why no satisfaction survey goes out for this resolution, or empty when one does.
     *
     * @param lastInvited   when the person was last invited (or is due to be), on any channel
     * @param invitedInPeriod how many satisfaction invitations the person had within the period
     */
    public Optional<String> suppression(String ticketId, String serviceType, Instant now, Instant lastInvited,
            long invitedInPeriod) {
        if (!sampled(ticketId, sampling.applyAsDouble(serviceType))) {
            return Optional.of("notSampled");
        }
        if (invitedInPeriod >= rules.maxPerPeriod()) {
            return Optional.of("frequency");
        }
        if (lastInvited != null && lastInvited.isAfter(now.minus(rules.minGapDuration()))) {
            return Optional.of("minGap");
        }
        return Optional.empty();
    }

    /** Sampling by the ticket id, so the same resolution is decided alike on every replica and every redelivery. */
    static boolean sampled(String ticketId, double rate) {
        if (rate >= 1.0) {
            return true;
        }
        CRC32 crc = new CRC32();
        crc.update(ticketId.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() % 10_000) < Math.round(rate * 10_000);
    }

    /** When an invitation due at {@code due} may go: then, or at the end of the quiet hours it falls in. */
    public Instant sendableAt(Instant due) {
        SurveyDefinitions.QuietHours quiet = rules.quietHours();
        if (quiet == null || quiet.startTime().equals(quiet.endTime())) {
            return due;
        }
        ZonedDateTime local = due.atZone(quiet.zoneId());
        LocalTime time = local.toLocalTime();
        LocalTime start = quiet.startTime();
        LocalTime end = quiet.endTime();
        boolean overnight = start.isAfter(end);
        boolean inside = overnight ? !time.isBefore(start) || time.isBefore(end) : !time.isBefore(start) && time.isBefore(end);
        if (!inside) {
            return due;
        }
        ZonedDateTime endToday = local.with(end);
        ZonedDateTime next = endToday.isAfter(local) ? endToday : endToday.plusDays(1);
        return next.toInstant();
    }
}
