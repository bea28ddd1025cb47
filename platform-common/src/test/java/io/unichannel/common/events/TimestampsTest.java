package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void alwaysWritesSecondsEvenOnTheMinute() {
        OffsetDateTime onTheMinute = OffsetDateTime.parse("2026-11-22T18:26:00Z");
        assertThat(onTheMinute.toString()).isEqualTo("2026-11-22T18:26Z");
        assertThat(Timestamps.rfc3339(onTheMinute)).isEqualTo("2026-11-22T18:26:00Z");
        assertThat(CloudEventRecords.text(CloudEventRecords.headers(
                new CloudEvent("id", "/s", "T", null, onTheMinute, "{}")), CloudEventRecords.TIME))
                .isEqualTo("2026-11-22T18:26:00Z");
    }

    @Test
    void keepsMillisecondsAndConvertsToUtc() {
        assertThat(Timestamps.rfc3339(OffsetDateTime.parse("2026-11-22T20:26:00.120+02:00")))
                .isEqualTo("2026-11-22T18:26:00.120Z");
    }
}
