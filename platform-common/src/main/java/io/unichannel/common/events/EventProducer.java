package io.unichannel.common.events;

import java.time.Duration;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Kafka producer a service's outbox relay and dead-letter path share: durable, idempotent, low latency. */
@ApplicationScoped
public class EventProducer {

    private final Producer<String, String> producer;

    public EventProducer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        producer = DurableProducers.create(bootstrapServers, application + "-events");
    }

    public Producer<String, String> producer() {
        return producer;
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
    }
}
