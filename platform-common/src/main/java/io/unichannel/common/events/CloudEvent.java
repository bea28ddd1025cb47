package io.unichannel.common.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event as the platform carries it: context attributes plus a JSON payload.
 *
 * @param id        unique per event; consumers deduplicate on it
 * @param source    the producing service, e.g. {@code /unichannel/ticket-service}
 * @param type      the event type; names the JSON Schema in docs/events
 * @param subject   the entity the event is about (ticket id, customer id), or null
 * @param time      when it happened
 * @param data      the JSON payload
 */
public record CloudEvent(String id, String source, String type, String subject, OffsetDateTime time, String data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public CloudEvent {
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A new event with a random id, stamped now. */
    public static CloudEvent of(String source, String type, String subject, String data) {
        return new CloudEvent(UUID.randomUUID().toString(), source, type, subject,
                OffsetDateTime.now(ZoneOffset.UTC), data);
    }

    /** The URN of the JSON Schema that describes this event's payload. */
    public String dataSchema() {
        return EventTypes.schemaUrn(type);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidCloudEventException("CloudEvent attribute '" + name + "' is required");
        }
    }
}
