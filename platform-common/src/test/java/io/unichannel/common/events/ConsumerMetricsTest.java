package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ConsumerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerMetrics metrics = new ConsumerMetrics(registry, new SmallRyeConfigBuilder().withDefaultValues(Map.of(
            "mp.messaging.incoming.progress.topics", "ticket-events,identity-events",
            "mp.messaging.incoming.requests.topic", "channel-requests",
            "mp.messaging.incoming.other.topic", "not-a-platform-topic",
            "kafka.bootstrap.servers", "127.0.0.1:1")).build());

    @Test
    void everyConsumedTopicHasItsSeriesAtZeroFromStartUp() {
        for (String topic : new String[] {"ticket-events", "identity-events", "channel-requests"}) {
            for (String reason : ConsumerMetrics.REASONS) {
                assertThat(registry.get("platform.dead.letters").tag("topic", topic).tag("reason", reason).counter().count())
                        .isZero();
            }
            assertThat(registry.get("platform.event.delay").tag("topic", topic).timer().count()).isZero();
        }
        assertThat(registry.find("platform.dead.letters").tag("topic", "not-a-platform-topic").counters()).isEmpty();
    }

    @Test
    void letterReasonsFallIntoAFewKinds() {
        assertThat(ConsumerMetrics.reasonKind("not a readable CloudEvent: Unexpected character")).isEqualTo("unreadable");
        assertThat(ConsumerMetrics.reasonKind("unsupported or missing ce_specversion: null")).isEqualTo("unreadable");
        assertThat(ConsumerMetrics.reasonKind("ce_source /unichannel/x does not publish on ticket-events")).isEqualTo("wrong-source");
        assertThat(ConsumerMetrics.reasonKind("refused by the database: invalid byte sequence")).isEqualTo("refused");
        assertThat(ConsumerMetrics.reasonKind("not publishable: RecordTooLargeException: too big")).isEqualTo("unpublishable");
        assertThat(ConsumerMetrics.reasonKind("request id is missing or not a UUID")).isEqualTo("invalid");
        assertThat(ConsumerMetrics.reasonKind(null)).isEqualTo("invalid");
    }

    @Test
    void aDeadLetterAndADelayAreCountedUnderTheirTopic() {
        metrics.deadLettered("ticket-events", "sequence is missing or out of range");
        ConsumerRecord<String, String> record = new ConsumerRecord<>("channel-requests", 0, 1L, "k", "v");
        metrics.consumed(record);
        assertThat(registry.get("platform.dead.letters").tag("topic", "ticket-events").tag("reason", "invalid").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("platform.event.delay").tag("topic", "channel-requests").timer().count()).isZero();
    }
}
