package io.unichannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.OpenTelemetry;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.gateway.messaging.EventPublisher;
import org.junit.jupiter.api.Test;

/**
 * The broker is away: every submission gets its answer ("not queued") within the bound a
 * customer is promised, however many arrive together, instead of hanging behind each other; the
 * intake turns that answer into a 503 with Retry-After. A real Kafka client talks to a port where
 * no broker listens.
 */
class IntakeBrokerOutageTest {

    @Test
    void withNoBrokerEverySubmissionIsAnsweredWithinTheBound() throws Exception {
        EventPublisher publisher = new EventPublisher("127.0.0.1:1", OpenTelemetry.noop().getTracer("outage-test"));
        long started = System.nanoTime();
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = UUID.randomUUID().toString();
            CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), Topics.CHANNEL_GATEWAY,
                    EventTypes.CHANNEL_REQUEST_SUBMITTED, id, OffsetDateTime.now(ZoneOffset.UTC), "{\"requestId\":\"" + id + "\"}");
            answers.add(publisher.publish(id, event).map(done -> -1L)
                    .onFailure().recoverWithItem(failure -> (System.nanoTime() - started) / 1_000_000)
                    .subscribeAsCompletionStage());
        }
        Duration bound = EventPublisher.ANSWER_WITHIN.plusSeconds(1);
        for (CompletableFuture<Long> answer : answers) {
            long millis = answer.get(bound.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            assertThat(millis).as("no submission is acknowledged by a broker that is not there").isNotNegative();
            assertThat(Duration.ofMillis(millis)).as("answered within the bound").isLessThanOrEqualTo(bound);
        }
    }
}
