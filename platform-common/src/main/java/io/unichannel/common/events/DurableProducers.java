package io.unichannel.common.events;

import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka producers for events that must not be lost: every in-sync replica acknowledges, retries
 * never duplicate or reorder (idempotence), and a send that cannot complete fails within seconds
 * instead of hanging the caller.
 */
public final class DurableProducers {

    /**
     * Where sends are started: {@code KafkaProducer.send} blocks its caller for up to
     * max.block.ms while the broker is away, and an event-loop thread must never block.
     */
    private static final java.util.concurrent.ExecutorService SENDERS = java.util.concurrent.Executors
            .newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "kafka-send");
                thread.setDaemon(true);
                return thread;
            });

    private DurableProducers() {
    }

    /**
     * Sends without blocking the calling thread; the result completes once the broker has the
     * record, back on the caller's Vert.x context when it has one (a reactive transaction, say).
     */
    public static java.util.concurrent.CompletionStage<org.apache.kafka.clients.producer.RecordMetadata> send(
            org.apache.kafka.clients.producer.Producer<String, String> producer,
            org.apache.kafka.clients.producer.ProducerRecord<String, String> record) {
        var result = new java.util.concurrent.CompletableFuture<org.apache.kafka.clients.producer.RecordMetadata>();
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        org.apache.kafka.clients.producer.Callback done = (metadata, error) -> {
            Runnable complete = () -> {
                if (error == null) {
                    result.complete(metadata);
                } else {
                    result.completeExceptionally(error);
                }
            };
            if (caller != null) {
                caller.runOnContext(v -> complete.run());
            } else {
                complete.run();
            }
        };
        SENDERS.execute(() -> {
            try {
                producer.send(record, done);
            } catch (RuntimeException e) {
                done.onCompletion(null, e);
            }
        });
        return result;
    }

    public static KafkaProducer<String, String> create(String bootstrapServers, String clientId) {
        Properties props = KafkaConnection.properties(bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
