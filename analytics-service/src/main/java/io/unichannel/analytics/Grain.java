package io.unichannel.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

/**
 * The windows KPIs are kept in: minutes (for the live view, the last 15 of them), hours, days and
 * months in the operator's zone, and "now" for gauges such as the backlog. Store keys start with
 * the grain's letter and the window's start in epoch seconds, zero-padded, so a window range is a
 * key range.
 */
public enum Grain {
    MINUTE("minute", "m", Duration.ofHours(3)),
    HOUR("hour", "h", Duration.ofDays(62)),
    DAY("day", "d", Duration.ofDays(800)),
    MONTH("month", "M", Duration.ofDays(366 * 5)),
    NOW("now", "n", null);

    /** The live view: this many minute windows up to the current one. */
    public static final int LIVE_MINUTES = 15;

    private final String id;
    private final String letter;
    private final Duration retention;

    Grain(String id, String letter, Duration retention) {
        this.id = id;
        this.letter = letter;
        this.retention = retention;
    }

    public String id() {
        return id;
    }

    /** How long windows of this grain are kept; null for "now". */
    public Duration retention() {
        return retention;
    }

    public static Optional<Grain> byId(String id) {
        return Arrays.stream(values()).filter(g -> g.id.equals(id)).findFirst();
    }

    /** The grain a store key starts with. */
    public static Grain byKey(String key) {
        for (Grain grain : values()) {
            if (key.startsWith(grain.letter + "|")) {
                return grain;
            }
        }
        throw new IllegalArgumentException("no grain starts " + key);
    }

    /** The start of the window holding this instant. */
    public Instant start(Instant at, ZoneId zone) {
        ZonedDateTime t = at.atZone(zone);
        return switch (this) {
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES).toInstant();
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> t.truncatedTo(ChronoUnit.DAYS).toInstant();
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
            case NOW -> Instant.EPOCH;
        };
    }

    /** The start of the window after the one starting at {@code start}. */
    public Instant next(Instant start, ZoneId zone) {
        ZonedDateTime t = start.atZone(zone);
        return switch (this) {
            case MINUTE -> t.plusMinutes(1).toInstant();
            case HOUR -> t.plusHours(1).toInstant();
            case DAY -> t.plusDays(1).toInstant();
            case MONTH -> t.plusMonths(1).toInstant();
            case NOW -> Instant.MAX;
        };
    }

    /** The store-key prefix of windows of this grain starting at {@code start}. */
    public String prefix(Instant start) {
        return letter + "|" + String.format("%012d", start.getEpochSecond()) + "|";
    }

    /** The key of a KPI's sums for one window and combination of dimensions. */
    public String key(Instant start, String contributionKey) {
        return prefix(start) + contributionKey;
    }
}
