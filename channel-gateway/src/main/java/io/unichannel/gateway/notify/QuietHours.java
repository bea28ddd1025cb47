package io.unichannel.gateway.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The hours in which no text message goes out unless the customer is waiting for it (one-time
 * codes, replies to their own message): by default 22:00 to 08:00 in the operator's time zone. A
 * notice due in them is held until they end.
 */
@ApplicationScoped
public class QuietHours {

    private final LocalTime start;
    private final LocalTime end;
    private final ZoneId zone;

    public QuietHours(@ConfigProperty(name = "gateway.quiet-hours.start", defaultValue = "22:00") LocalTime start,
            @ConfigProperty(name = "gateway.quiet-hours.end", defaultValue = "08:00") LocalTime end,
            @ConfigProperty(name = "gateway.quiet-hours.zone", defaultValue = "Asia/Shanghai") ZoneId zone) {
        this.start = start;
        this.end = end;
        this.zone = zone;
    }

    /** When the quiet hours around {@code now} end, or empty when {@code now} is not in them. */
    public Optional<Instant> endIfQuiet(Instant now) {
        return endIfQuiet(now, start, end);
    }

    /** The same for a customer's own window (from their notification preferences). */
    public Optional<Instant> endIfQuiet(Instant now, LocalTime start, LocalTime end) {
        if (start.equals(end)) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean overnight = start.isAfter(end);
        boolean quiet = overnight ? !time.isBefore(start) || time.isBefore(end) : !time.isBefore(start) && time.isBefore(end);
        if (!quiet) {
            return Optional.empty();
        }
        ZonedDateTime ends = local.with(end);
        if (!ends.isAfter(local)) {
            ends = ends.plusDays(1);
        }
        return Optional.of(ends.toInstant());
    }

    public Optional<Instant> endIfQuiet(Clock clock) {
        return endIfQuiet(clock.instant());
    }
}
