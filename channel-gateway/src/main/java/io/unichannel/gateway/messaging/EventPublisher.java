package io.unichannel.gateway.messaging;

import java.time.Duration;

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

    private final KafkaProducer<String, String> producer;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        producer = DurableProducers.create(bootstrapServers, "channel-gateway-intake");
    }

    public Uni<Void> publish(String requestId, CloudEvent event) {
        return publish(Topics.CHANNEL_REQUESTS, requestId, event);
    }

    public Uni<Void> publish(String topic, String key, CloudEvent event) {
        // Never on the event loop: a send blocks while the broker is away.
        return Uni.createFrom().completionStage(() -> DurableProducers.send(producer,
                CloudEventRecords.toRecord(topic, key, event))).replaceWithVoid();
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
    }
}
