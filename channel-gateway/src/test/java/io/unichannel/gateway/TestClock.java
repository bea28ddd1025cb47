package io.unichannel.gateway;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.quarkus.test.Mock;
import jakarta.inject.Singleton;

/** The gateway's clock in its tests: real time, unless a test sets it (quiet hours at night). */
@Mock
@Singleton
public class TestClock extends Clock {

    private static volatile Instant fixed;

    public static void set(Instant instant) {
        fixed = instant;
    }

    public static void reset() {
        fixed = null;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant now = fixed;
        return now != null ? now : Instant.now();
    }
}
