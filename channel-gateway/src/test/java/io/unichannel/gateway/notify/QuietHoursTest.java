package io.unichannel.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

/** Quiet hours across midnight, in the operator's zone, with fixed clocks. */
class QuietHoursTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), SHANGHAI);

    private static Instant at(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 11, day, hour, minute, 0, 0, SHANGHAI).toInstant();
    }

    @Test
    void aNoticeAtNightWaitsForEightOClock() {
        assertThat(night.endIfQuiet(at(30, 23, 30))).contains(at(30, 8, 0).plusSeconds(86_400));
        assertThat(night.endIfQuiet(at(30, 2, 15))).contains(at(30, 8, 0));
        assertThat(night.endIfQuiet(at(30, 22, 0))).contains(at(30, 8, 0).plusSeconds(86_400));
    }

    @Test
    void theDayIsNotQuiet() {
        assertThat(night.endIfQuiet(at(30, 8, 0))).isEmpty();
        assertThat(night.endIfQuiet(at(30, 13, 0))).isEmpty();
        assertThat(night.endIfQuiet(at(30, 21, 59))).isEmpty();
        assertThat(new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, SHANGHAI).endIfQuiet(at(30, 3, 0))).isEmpty();
    }

    @Test
    void aDaytimeWindowWorksToo() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 30), SHANGHAI);
        assertThat(lunch.endIfQuiet(at(30, 12, 45))).contains(at(30, 13, 30));
        assertThat(lunch.endIfQuiet(at(30, 14, 0))).isEmpty();
    }
}
