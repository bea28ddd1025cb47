package io.unichannel.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** One surprise replaces the stream thread; the same failure coming back again and again stops the client. */
class StreamFailuresTest {

    @Test
    void aFailureIsReplacedAndOnlyARepeatingOneStopsTheStreams() {
        Instant start = Instant.parse("2026-12-07T08:00:00Z");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock(start);
        StreamFailures failures = new StreamFailures(metrics, clock);
        RuntimeException surprise = new IllegalStateException("unexpected");

        for (int i = 0; i < StreamFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.handle(surprise)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(failures.handle(surprise)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        // Spread out, failures never add up to a stop.
        StreamFailures spread = new StreamFailures(metrics, clock);
        for (int i = 0; i < 10; i++) {
            clock.now = clock.now.plus(StreamFailures.WINDOW.plus(Duration.ofSeconds(1)));
            assertThat(spread.handle(surprise)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(metrics.counter("analytics.stream.failures", "response", "replace").count())
                .isEqualTo(StreamFailures.MAX_REPLACEMENTS + 10);
        assertThat(metrics.counter("analytics.stream.failures", "response", "shutdown").count()).isEqualTo(1);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
