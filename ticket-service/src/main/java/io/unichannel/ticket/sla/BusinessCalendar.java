package io.unichannel.ticket.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The working time of a region: weekly hours with split shifts, a time zone, public holidays, and
 * make-up working days (调休: a weekend day that is worked, with the hours of a normal weekday).
 * Business time is counted only inside shifts. {@link #CONTINUOUS} counts every second (calendar
 * time, used by regulatory clocks).
 */
public final class BusinessCalendar {

    /** Every second counts: 24 hours a day, every day. */
    public static final BusinessCalendar CONTINUOUS = new BusinessCalendar("continuous", ZoneId.of("UTC"),
            Map.of(), Set.of(), Set.of(), List.of());

    /** How far ahead a deadline may be looked for; a calendar without working time in this span is invalid. */
    private static final int HORIZON_DAYS = 3 * 366;

    private final String id;
    private final ZoneId zone;
    private final Map<DayOfWeek, List<Shift>> week;
    private final Set<LocalDate> holidays;
    private final Set<LocalDate> workdays;
    private final List<Shift> workdayHours;

    /** A shift of one day, in seconds from midnight, end exclusive (86,400 is midnight at its end). */
    public record Shift(int start, int end) {
        public Shift {
            if (start < 0 || end > 86_400 || start >= end) {
                throw new IllegalArgumentException("a shift must start before it ends, within one day");
            }
        }

        /** Reads "08:30-12:00" (24:00 allowed as an end). */
        public static Shift parse(String text) {
            String[] parts = text.split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("'" + text + "' is not a shift like 08:30-12:00");
            }
            return new Shift(seconds(parts[0].trim()), seconds(parts[1].trim()));
        }

        private static int seconds(String hhmm) {
            String[] p = hhmm.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("'" + hhmm + "' is not a time like 08:30");
            }
            int h = Integer.parseInt(p[0]);
            int m = Integer.parseInt(p[1]);
            if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
                throw new IllegalArgumentException("'" + hhmm + "' is not a time of day");
            }
            return h * 3600 + m * 60;
        }

        long seconds() {
            return end - start;
        }
    }

    /**
     * @param workdays     make-up working days (worked although they fall on a weekend)
     * @param workdayHours the hours of a make-up day (empty: Monday's)
     */
    public BusinessCalendar(String id, ZoneId zone, Map<DayOfWeek, List<Shift>> week, Set<LocalDate> holidays,
            Set<LocalDate> workdays, List<Shift> workdayHours) {
        this.id = Objects.requireNonNull(id);
        this.zone = Objects.requireNonNull(zone);
        this.week = new EnumMap<>(DayOfWeek.class);
        week.forEach((day, shifts) -> this.week.put(day, ordered(shifts)));
        this.holidays = Set.copyOf(holidays);
        this.workdays = Set.copyOf(workdays);
        this.workdayHours = workdayHours.isEmpty() ? this.week.getOrDefault(DayOfWeek.MONDAY, List.of())
                : ordered(workdayHours);
        if (!"continuous".equals(id) && this.week.values().stream().allMatch(List::isEmpty) && this.workdays.isEmpty()) {
            throw new IllegalArgumentException("calendar " + id + " has no working hours");
        }
    }

    private static List<Shift> ordered(List<Shift> shifts) {
        List<Shift> sorted = shifts.stream().sorted((a, b) -> Integer.compare(a.start, b.start)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start < sorted.get(i - 1).end) {
                throw new IllegalArgumentException("shifts of one day overlap");
            }
        }
        return sorted;
    }

    public String id() {
        return id;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean continuous() {
        return this == CONTINUOUS;
    }

    /** The shifts worked on a date: a make-up day's, none on a holiday, else the weekday's. */
    public List<Shift> shiftsOn(LocalDate date) {
        if (workdays.contains(date)) {
            return workdayHours;
        }
        if (holidays.contains(date)) {
            return List.of();
        }
        return week.getOrDefault(date.getDayOfWeek(), List.of());
    }

    /** The length of a standard working day (Monday's hours), which a target of "P1D" in business time means. */
    public long workingDaySeconds() {
        if (continuous()) {
            return 86_400;
        }
        List<Shift> day = week.getOrDefault(DayOfWeek.MONDAY, workdayHours);
        long seconds = day.stream().mapToLong(Shift::seconds).sum();
        return seconds > 0 ? seconds : 8 * 3600;
    }

    /** The instant when {@code businessMillis} of working time have passed after {@code from}. */
    public Instant plus(Instant from, long businessMillis) {
        if (businessMillis <= 0) {
            return from;
        }
        if (continuous()) {
            return from.plusMillis(businessMillis);
        }
        long remaining = businessMillis;
        LocalDate day = from.atZone(zone).toLocalDate();
        for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
            for (Shift shift : shiftsOn(day)) {
                Instant start = at(day, shift.start);
                Instant end = at(day, shift.end);
                if (!end.isAfter(from)) {
                    continue;
                }
                Instant begin = start.isAfter(from) ? start : from;
                long available = Duration.between(begin, end).toMillis();
                if (remaining <= available) {
                    return begin.plusMillis(remaining);
                }
                remaining -= available;
            }
        }
        throw new IllegalStateException("calendar " + id + " has no working time in the next " + HORIZON_DAYS + " days");
    }

    /** Working time between two instants, in milliseconds (0 when {@code to} is not after {@code from}). */
    public long millisBetween(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        if (continuous()) {
            return Duration.between(from, to).toMillis();
        }
        long total = 0;
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate day = from.atZone(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            for (Shift shift : shiftsOn(day)) {
                Instant start = at(day, shift.start);
                Instant end = at(day, shift.end);
                Instant begin = start.isAfter(from) ? start : from;
                Instant finish = end.isBefore(to) ? end : to;
                if (finish.isAfter(begin)) {
                    total += Duration.between(begin, finish).toMillis();
                }
            }
        }
        return total;
    }

    private Instant at(LocalDate day, int secondOfDay) {
        ZonedDateTime midnight = day.atStartOfDay(zone);
        // Local time, so a shift keeps its wall-clock hours across a daylight-saving change.
        return midnight.toLocalDateTime().plusSeconds(secondOfDay).atZone(zone).toInstant();
    }

    /**
     * A short fingerprint of the calendar's content, the same in every replica and JVM: a clock
     * remembers the calendar it was scheduled with, so a calendar change moves it exactly once.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder(zone.getId()).append('|');
        week.forEach((day, shifts) -> text.append(day.getValue()).append(shifts).append(';'));
        text.append('|').append(holidays.stream().sorted().toList()).append('|').append(workdays.stream().sorted().toList())
                .append('|').append(workdayHours);
        return Integer.toHexString(text.toString().hashCode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessCalendar c && id.equals(c.id) && zone.equals(c.zone) && week.equals(c.week)
                && holidays.equals(c.holidays) && workdays.equals(c.workdays) && workdayHours.equals(c.workdayHours);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, zone, week, holidays, workdays, workdayHours);
    }
}
