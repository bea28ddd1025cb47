package io.unichannel.ticket.messaging;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.outbox.EventProducer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Sets aside a record that can never be processed, with the reason, so the consumer moves on. */
@ApplicationScoped
public class DeadLetters {

    private static final int MAX_PAYLOAD = 65_536;

    private final EventProducer producer;
    private final ObjectMapper json;

    public DeadLetters(EventProducer producer, ObjectMapper json) {
        this.producer = producer;
        this.json = json;
    }

    public void send(ConsumerRecord<String, String> record, String reason) {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("originalTopic", record.topic());
        letter.put("partition", record.partition());
        letter.put("offset", record.offset());
        letter.put("consumer", "ticket-service");
        letter.put("reason", reason);
        letter.put("failedAt", Timestamps.rfc3339(OffsetDateTime.now(ZoneOffset.UTC)));
        String value = record.value();
        letter.put("payload", value == null || value.length() <= MAX_PAYLOAD ? value : value.substring(0, MAX_PAYLOAD));
        try {
            CloudEvent event = CloudEvent.of("/unichannel/ticket-service", EventTypes.DEAD_LETTER,
                    record.key(), json.writeValueAsString(letter));
            producer.producer().send(CloudEventRecords.toRecord(Topics.DEAD_LETTERS, record.key(), event));
            Log.warnf("Dead-lettered %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
