package io.unichannel.common.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Maps CloudEvents to and from Kafka records in binary content mode: context attributes in
 * {@code ce_*} headers, the JSON payload as the record value.
 */
public final class CloudEventRecords {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String DATA_SCHEMA = "ce_dataschema";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventRecords() {
    }

    /** The Kafka headers that carry an event's context attributes. */
    public static Headers headers(CloudEvent event) {
        Headers headers = new RecordHeaders();
        put(headers, SPEC_VERSION, CloudEvent.SPEC_VERSION);
        put(headers, ID, event.id());
        put(headers, SOURCE, event.source());
        put(headers, TYPE, event.type());
        if (event.subject() != null) {
            put(headers, SUBJECT, event.subject());
        }
        put(headers, TIME, Timestamps.rfc3339(event.time()));
        put(headers, DATA_SCHEMA, event.dataSchema());
        put(headers, CONTENT_TYPE, CloudEvent.CONTENT_TYPE);
        return headers;
    }

    /** A record for {@code topic}, keyed for per-entity order, in the current trace. */
    public static ProducerRecord<String, String> toRecord(String topic, String key, CloudEvent event) {
        return toRecord(topic, key, event, io.opentelemetry.context.Context.current());
    }

    /** A record for {@code topic}, keyed for per-entity order, carrying the trace of {@code trace}. */
    public static ProducerRecord<String, String> toRecord(String topic, String key, CloudEvent event,
            io.opentelemetry.context.Context trace) {
        Headers headers = headers(event);
        EventTraces.inject(trace, headers);
        return new ProducerRecord<>(topic, null, key, event.data(), headers);
    }

    /**
     * Reads the event a record carries.
     *
     * @throws InvalidCloudEventException when a required attribute is missing or malformed
     */
    public static CloudEvent fromRecord(ConsumerRecord<String, String> record) {
        Headers headers = record.headers();
        String specVersion = text(headers, SPEC_VERSION);
        if (!CloudEvent.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidCloudEventException("unsupported or missing ce_specversion: " + specVersion);
        }
        String time = text(headers, TIME);
        OffsetDateTime parsedTime;
        try {
            parsedTime = time == null ? null : OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new InvalidCloudEventException("ce_time is not an RFC 3339 timestamp: " + time);
        }
        if (parsedTime == null) {
            throw new InvalidCloudEventException("CloudEvent attribute 'time' is required");
        }
        if (record.value() == null) {
            throw new InvalidCloudEventException("record has no payload");
        }
        return new CloudEvent(text(headers, ID), text(headers, SOURCE), text(headers, TYPE),
                text(headers, SUBJECT), parsedTime, record.value());
    }

    /**
     * Reads the event a record carries and checks that its producer owns the topic
     * ({@link Topics#OWNERS}): what every platform consumer uses.
     *
     * @throws InvalidCloudEventException when the event is malformed or its source does not own the topic
     */
    public static CloudEvent fromOwner(ConsumerRecord<String, String> record) {
        CloudEvent event = fromRecord(record);
        if (!Topics.mayPublish(record.topic(), event.source())) {
            throw new InvalidCloudEventException("ce_source " + event.source() + " does not publish on " + record.topic());
        }
        return event;
    }

    /** The value of a header as UTF-8 text, or null when absent. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
