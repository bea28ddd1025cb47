package io.unichannel.common.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/** A timer looks in the database when work is due or the safety interval passed, never on every tick. */
class DueWorkTest {

    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-07T02:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void pass(Duration d) {
            now = now.plus(d);
        }
    }

    final MovingClock clock = new MovingClock();
    final DueWork due = new DueWork(Duration.ofSeconds(30), clock);

    @Test
    void looksAtStartThenSleepsUntilTheEarliestDueWork() {
        assertThat(due.startLook()).isTrue();
        due.looked(clock.now.plusSeconds(10));
        clock.pass(Duration.ofSeconds(9));
        assertThat(due.startLook()).isFalse();
        clock.pass(Duration.ofSeconds(1));
        assertThat(due.startLook()).isTrue();
    }

    @Test
    void withNothingDueItLooksOncePerSafetyInterval() {
        assertThat(due.startLook()).isTrue();
        due.looked((Instant) null);
        int looks = 0;
        for (int second = 1; second <= 120; second++) {
            clock.pass(Duration.ofSeconds(1));
            if (due.startLook()) {
                looks++;
                due.looked((Instant) null);
            }
        }
        assertThat(looks).isEqualTo(4);
    }

    @Test
    void workWrittenHereWakesItEvenWhileALookIsUnderWay() {
        assertThat(due.startLook()).isTrue();
        due.wakeNow(); // written while the look ran: it may not have seen it
        due.looked(clock.now.plusSeconds(3600));
        assertThat(due.startLook()).isTrue();
        due.looked((Instant) null);
        clock.pass(Duration.ofSeconds(3));
        due.wake(clock.now.plusSeconds(5));
        clock.pass(Duration.ofSeconds(4));
        assertThat(due.startLook()).isFalse();
        clock.pass(Duration.ofSeconds(1));
        assertThat(due.startLook()).isTrue();
    }

    @Test
    void aWakeKeepsItLookingForAGraceSoAnUncommittedWriteIsNotMissed() {
        assertThat(due.startLook()).isTrue();
        due.looked((Instant) null);
        due.wakeNow(); // inside the writer's transaction
        assertThat(due.startLook()).isTrue(); // the look may run before the commit...
        due.looked((Instant) null);
        clock.pass(Duration.ofSeconds(1));
        assertThat(due.startLook()).isTrue(); // ...so the next tick looks again
        due.looked((Instant) null);
        clock.pass(Duration.ofSeconds(2));
        assertThat(due.startLook()).isFalse();
    }

    @Test
    void aFailedOrFullLookIsRepeatedAtTheNextTick() {
        assertThat(due.startLook()).isTrue();
        due.again();
        assertThat(due.startLook()).isTrue();
    }
}
