package io.unichannel.gateway.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DurableProducers;
import io.unichannel.common.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes the gateway's events: accepted requests to channel-requests (keyed by request id) and
 * the hotline's interactions to interaction-events (keyed by call id). The returned Uni completes
 * only when every in-sync replica has the record: a 202 is never given for a request, nor a 200
 * to the CTI for a call event, that could still be lost.
 */
@ApplicationScoped
public class EventPublisher {

    /** How long a submitter waits at most for "queued" or "not queued" (then 503 with Retry-After). */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration MAX_BLOCK = Duration.ofSeconds(1);
    private static final Duration DELIVERY = Duration.ofSeconds(3);

    private final KafkaProducer<String, String> producer;
    private final Tracer tracer;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Tracer tracer) {
        producer = DurableProducers.create(bootstrapServers, "channel-gateway-intake", MAX_BLOCK, DELIVERY);
        this.tracer = tracer;
    }

    public Uni<Void> publish(String requestId, CloudEvent event) {
        return publish(Topics.CHANNEL_REQUESTS, requestId, event);
    }

    /**
     * Publishes an event and answers within {@link #ANSWER_WITHIN}: acknowledged by every in-sync
     * replica, or failed. A send that could not start early enough to finish by then (the broker is
     * away and earlier sends hold the sending threads) is never sent, so a caller told "not queued"
     * does not find it published later (short of an acknowledgement lost on its way back; a retry
     * with the same Idempotency-Key then finds the same request).
     */
    public Uni<Void> publish(String topic, String key, CloudEvent event) {
        Instant latestStart = Instant.now().plus(ANSWER_WITHIN).minus(MAX_BLOCK).minus(DELIVERY);
        // Never on the event loop: a send blocks while the broker is away.
        return Uni.createFrom().<Void>deferred(() -> {
            // The request's trace continues on Kafka: the consumers' spans are children of this one.
            Span span = tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "publish")
                    .setAttribute("messaging.destination.name", topic)
                    .setAttribute("messaging.message.id", event.id())
                    .startSpan();
            return Uni.createFrom().completionStage(DurableProducers.send(producer,
                    CloudEventRecords.toRecord(topic, key, event, Context.current().with(span)), latestStart))
                    .onTermination().invoke((done, failure, cancelled) -> {
                        if (failure != null) {
                            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                        }
                        span.end();
                    }).replaceWithVoid();
        }).ifNoItem().after(ANSWER_WITHIN.plusSeconds(1)).failWith(() -> new TimeoutException("the broker did not answer in time"));
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
    }
}
