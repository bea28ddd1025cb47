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
        return send(producer, record, java.time.Instant.MAX);
    }

    /**
     * Like {@link #send(org.apache.kafka.clients.producer.Producer, org.apache.kafka.clients.producer.ProducerRecord)},
     * for a caller who answers someone by a deadline: a send that has not started by
     * {@code latestStart} (the sending threads were held up by a broker outage) fails at once and
     * is never sent, so nothing reaches the broker after its caller was told it failed.
     */
    public static java.util.concurrent.CompletionStage<org.apache.kafka.clients.producer.RecordMetadata> send(
            org.apache.kafka.clients.producer.Producer<String, String> producer,
            org.apache.kafka.clients.producer.ProducerRecord<String, String> record, java.time.Instant latestStart) {
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
            if (result.isDone() || latestStart != java.time.Instant.MAX && java.time.Instant.now().isAfter(latestStart)) {
                done.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException(
                        "not sent: the broker did not take earlier records in time"));
                return;
            }
            try {
                producer.send(record, done);
            } catch (RuntimeException e) {
                done.onCompletion(null, e);
            }
        });
        return result;
    }

    public static KafkaProducer<String, String> create(String bootstrapServers, String clientId) {
        return create(bootstrapServers, clientId, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10));
    }

    /**
     * A durable producer whose {@code send} blocks at most {@code maxBlock} and whose records are
     * acknowledged or failed within {@code delivery} of being handed to it.
     */
    public static KafkaProducer<String, String> create(String bootstrapServers, String clientId, java.time.Duration maxBlock,
            java.time.Duration delivery) {
        Properties props = KafkaConnection.properties(bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(delivery.toMillis() / 2));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlock.toMillis()));
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
