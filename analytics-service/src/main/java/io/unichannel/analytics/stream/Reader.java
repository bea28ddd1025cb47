package io.unichannel.analytics.stream;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.unichannel.analytics.Contribution;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.Topics;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The shape every input reader shares: parse the record, pass on what it contributes, and set a
 * record that can never be counted aside on dead-letters with the reason (inside the same
 * transaction), so the topology moves on.
 */
abstract class Reader extends ContextualProcessor<String, String, String, Routed> {

    static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public final void process(Record<String, String> record) {
        JsonNode value;
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("no value");
            }
            // Only a topic's owner speaks on it: an event in another service's name is never counted.
            String topic = context().recordMetadata().map(m -> m.topic()).orElse(null);
            String source = CloudEventRecords.text(record.headers(), CloudEventRecords.SOURCE);
            if (topic != null && !Topics.mayPublish(topic, source)) {
                throw new IllegalArgumentException("ce_source " + source + " does not publish on " + topic);
            }
            value = JSON.readTree(record.value());
            if (value == null || !value.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            read(record, value);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            setAside(record, e.getMessage());
        }
    }

    /** Reads one parsed event; an {@link IllegalArgumentException} says it can never be counted, and why. */
    abstract void read(Record<String, String> record, JsonNode value);

    void forward(Record<String, String> cause, List<Contribution> contributions) {
        for (Contribution c : contributions) {
            context().forward(new Record<>(c.key(), Routed.of(c), cause.timestamp()));
        }
    }

    String eventType(Record<String, String> record, JsonNode value) {
        String type = CloudEventRecords.text(record.headers(), CloudEventRecords.TYPE);
        return type != null ? type : value.path("eventType").asText(null);
    }

    private void setAside(Record<String, String> record, String reason) {
        var meta = context().recordMetadata().orElseThrow();
        Log.warnf("Setting aside a record of %s (key %s): %s", meta.topic(), record.key(), reason);
        var letter = DeadLetters.letter(JSON, "analytics-service", meta.topic(), meta.partition(), meta.offset(),
                record.key(), String.valueOf(reason), record.value());
        context().forward(new Record<>(record.key(), Routed.of(letter), record.timestamp()));
    }
}
