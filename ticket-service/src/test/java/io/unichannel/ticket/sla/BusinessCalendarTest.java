package io.unichannel.ticket.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.unichannel.ticket.sla.BusinessCalendar.Shift;
import org.junit.jupiter.api.Test;

/** Working time across split shifts, holidays, make-up days and time zones. */
class BusinessCalendarTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final List<Shift> SPLIT = List.of(Shift.parse("08:30-12:00"), Shift.parse("13:30-18:00"));

    static BusinessCalendar office(Set<LocalDate> holidays, Set<LocalDate> workdays) {
        Map<DayOfWeek, List<Shift>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            week.put(d, SPLIT);
        }
        return new BusinessCalendar("office", SHANGHAI, week, holidays, workdays, List.of());
    }

    private static Instant sh(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private static long hours(double h) {
        return (long) (h * 3_600_000);
    }

    @Test
    void theLunchBreakDoesNotCount() {
        BusinessCalendar cal = office(Set.of(), Set.of());
        // Monday 2026-11-23 11:00 + 2 h of work = 11:00-12:00 and 13:30-14:30
        assertThat(cal.plus(sh("2026-11-23T11:00"), hours(2))).isEqualTo(sh("2026-11-23T14:30"));
        assertThat(cal.millisBetween(sh("2026-11-23T11:00"), sh("2026-11-23T14:30"))).isEqualTo(hours(2));
    }

    @Test
    void timeOutsideShiftsWaitsForTheNextOneAndWeekendsAreSkipped() {
        BusinessCalendar cal = office(Set.of(), Set.of());
        // Friday 17:00 + 4 h: 1 h on Friday, then Monday 08:30-11:30
        assertThat(cal.plus(sh("2026-11-27T17:00"), hours(4))).isEqualTo(sh("2026-11-30T11:30"));
        // submitted on Saturday night: the clock starts Monday 08:30
        assertThat(cal.plus(sh("2026-11-28T22:00"), hours(1))).isEqualTo(sh("2026-11-30T09:30"));
        assertThat(cal.millisBetween(sh("2026-11-28T00:00"), sh("2026-11-29T23:59"))).isZero();
    }

    @Test
    void holidaysAreSkippedAndMakeUpDaysAreWorked() {
        // National Day 2026: 1-7 October off, Saturday 10 October worked (调休)
        Set<LocalDate> holidays = Set.of(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-02"),
                LocalDate.parse("2026-10-05"), LocalDate.parse("2026-10-06"), LocalDate.parse("2026-10-07"));
        BusinessCalendar cal = office(holidays, Set.of(LocalDate.parse("2026-10-10")));
        // Wednesday 30 September 17:00 + 2 h: 1 h that day, then Thursday 8 October 08:30-09:30
        assertThat(cal.plus(sh("2026-09-30T17:00"), hours(2))).isEqualTo(sh("2026-10-08T09:30"));
        // Friday 9 October 17:00 + 2 h: 1 h that day, then Saturday 10 October (make-up day) 08:30-09:30
        assertThat(cal.plus(sh("2026-10-09T17:00"), hours(2))).isEqualTo(sh("2026-10-10T09:30"));
        assertThat(cal.shiftsOn(LocalDate.parse("2026-10-10"))).isEqualTo(SPLIT);
        assertThat(cal.shiftsOn(LocalDate.parse("2026-10-01"))).isEmpty();
    }

    @Test
    void shiftsKeepTheirWallClockHoursAcrossADaylightSavingChange() {
        Map<DayOfWeek, List<Shift>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            week.put(d, List.of(Shift.parse("00:00-24:00")));
        }
        ZoneId london = ZoneId.of("Europe/London");
        BusinessCalendar allDay = new BusinessCalendar("london", london, week, Set.of(), Set.of(), List.of());
        Instant before = LocalDateTime.parse("2026-03-28T12:00").atZone(london).toInstant();
        Instant after = LocalDateTime.parse("2026-03-29T12:00").atZone(london).toInstant();
        // the clocks went forward on 29 March: that day has 23 hours
        assertThat(allDay.millisBetween(before, after)).isEqualTo(hours(23));
        assertThat(allDay.plus(before, hours(23))).isEqualTo(after);

        BusinessCalendar office = new BusinessCalendar("london-office", london,
                Map.of(DayOfWeek.MONDAY, List.of(Shift.parse("09:00-17:00"))), Set.of(), Set.of(), List.of());
        // Monday 30 March, after the change: the shift still starts at 09:00 local time (08:00 UTC)
        assertThat(office.plus(LocalDateTime.parse("2026-03-28T12:00").atZone(london).toInstant(), hours(1)))
                .isEqualTo(Instant.parse("2026-03-30T09:00:00Z"));
    }

    @Test
    void theSameWorkingTimeLandsOnDifferentInstantsInDifferentZones() {
        BusinessCalendar shanghai = office(Set.of(), Set.of());
        Map<DayOfWeek, List<Shift>> week = new EnumMap<>(DayOfWeek.class);
        week.put(DayOfWeek.MONDAY, SPLIT);
        BusinessCalendar urumqi = new BusinessCalendar("urumqi", ZoneId.of("Asia/Urumqi"), week, Set.of(), Set.of(), List.of());
        Instant mondayMorningUtc = Instant.parse("2026-11-23T00:00:00Z");
        assertThat(shanghai.plus(mondayMorningUtc, hours(1))).isEqualTo(Instant.parse("2026-11-23T01:30:00Z"));
        assertThat(urumqi.plus(mondayMorningUtc, hours(1))).isEqualTo(Instant.parse("2026-11-23T03:30:00Z"));
    }

    @Test
    void plusAndBetweenAgreeOnGeneratedInstants() {
        BusinessCalendar cal = office(Set.of(LocalDate.parse("2026-12-25")), Set.of(LocalDate.parse("2026-12-27")));
        Random random = new Random(42);
        Instant base = sh("2026-12-01T00:00");
        for (int i = 0; i < 2_000; i++) {
            Instant from = base.plusSeconds(random.nextInt(40 * 86_400));
            long work = random.nextInt(60 * 3_600) * 1000L + 1;
            Instant due = cal.plus(from, work);
            assertThat(cal.millisBetween(from, due)).as("from %s + %d ms", from, work).isEqualTo(work);
            assertThat(due).isAfter(from);
        }
    }

    @Test
    void aCalendarWithoutWorkingTimeOrWithOverlappingShiftsIsRefused() {
        assertThatThrownBy(() -> new BusinessCalendar("never", SHANGHAI, Map.of(), Set.of(), Set.of(), List.of()))
                .hasMessageContaining("no working hours");
        assertThatThrownBy(() -> new BusinessCalendar("overlap", SHANGHAI,
                Map.of(DayOfWeek.MONDAY, List.of(Shift.parse("08:00-12:00"), Shift.parse("11:00-13:00"))), Set.of(), Set.of(), List.of()))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> Shift.parse("18:00-08:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shift.parse("25:00-26:00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(BusinessCalendar.CONTINUOUS.plus(Instant.EPOCH, Duration.ofDays(15).toMillis()))
                .isEqualTo(Instant.EPOCH.plus(Duration.ofDays(15)));
    }
}
