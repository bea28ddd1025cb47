package io.unichannel.common.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sets aside a record that can never be processed (or an event that can never be published), with
 * the reason, on the dead-letters topic, so the consumer or relay moves on. The returned Uni sends
 * when subscribed (again on a retry) and completes once the broker has the letter: a consumer
 * commits past the record only then.
 */
@ApplicationScoped
public class DeadLetters {

    /** The most of the original value a letter keeps; the rest is cut. */
    public static final int MAX_PAYLOAD = 65_536;

    private final EventProducer producer;
    private final ObjectMapper json;
    private final ConsumerMetrics metrics;
    private final String application;

    public DeadLetters(EventProducer producer, ObjectMapper json, ConsumerMetrics metrics,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.producer = producer;
        this.json = json;
        this.metrics = metrics;
        this.application = application;
    }

    /** A consumed record that cannot be processed because of its own content. */
    public Uni<Void> send(ConsumerRecord<String, String> record, String reason) {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("originalTopic", record.topic());
        letter.put("partition", record.partition());
        letter.put("offset", record.offset());
        letter.put("key", record.key());
        return Uni.createFrom().deferred(() -> write(record.topic(), record.key(), letter, reason, record.value()));
    }

    /** An outbox event that can never be published (too large for the broker, say). */
    public Uni<Void> sendUnpublishable(String topic, String key, CloudEvent event, String reason) {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("originalTopic", topic);
        letter.put("key", key);
        letter.put("eventId", event.id());
        letter.put("eventType", event.type());
        return Uni.createFrom().deferred(() -> write(topic, key, letter, reason, event.data()));
    }

    /**
     * The DeadLetter event for a consumed record (its topic, partition, offset, key), written by
     * {@code application} for {@code reason}; for consumers that publish through a producer of their
     * own (a Kafka Streams topology sets letters aside inside its transaction).
     */
    public static CloudEvent letter(ObjectMapper json, String application, String topic, int partition, long offset,
            String key, String reason, String value) {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("originalTopic", topic);
        letter.put("partition", partition);
        letter.put("offset", offset);
        letter.put("key", key);
        try {
            return letterEvent(json, application, key, letter, reason, value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CloudEvent letterEvent(ObjectMapper json, String application, String key, Map<String, Object> letter,
            String reason, String value) throws JsonProcessingException {
        letter.put("consumer", application);
        letter.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        letter.put("failedAt", Timestamps.rfc3339(OffsetDateTime.now(ZoneOffset.UTC)));
        letter.put("payload", value == null || value.length() <= MAX_PAYLOAD ? value : value.substring(0, MAX_PAYLOAD));
        return CloudEvent.of("/unichannel/" + application, EventTypes.DEAD_LETTER, key, json.writeValueAsString(letter));
    }

    private Uni<Void> write(String topic, String key, Map<String, Object> letter, String reason, String value) {
        CloudEvent event;
        try {
            event = letterEvent(json, application, key, letter, reason, value);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException(e));
        }
        var acked = DurableProducers.send(producer.producer(),
                CloudEventRecords.toRecord(Topics.DEAD_LETTERS, key, event));
        metrics.deadLettered(topic, reason);
        Log.warnf("Dead-lettered a record of %s (key %s): %s", topic, key, letter.get("reason"));
        return Uni.createFrom().completionStage(acked).replaceWithVoid();
    }
}
