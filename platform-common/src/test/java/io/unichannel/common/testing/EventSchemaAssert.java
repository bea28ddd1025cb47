package io.unichannel.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.InvalidCloudEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks a record taken from Kafka against the platform's event contract: CloudEvents 1.0 binary
 * headers, an event type allowed on that topic, and a payload valid against the type's JSON
 * Schema in docs/events.
 */
public final class EventSchemaAssert {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemaAssert() {
    }

    /**
     * Asserts the record carries a valid platform event and returns it.
     *
     * @throws AssertionError naming every broken rule
     */
    public static CloudEvent assertValidEvent(ConsumerRecord<String, String> record) {
        CloudEvent event;
        try {
            event = CloudEventRecords.fromRecord(record);
        } catch (InvalidCloudEventException e) {
            throw new AssertionError("record at " + record.topic() + "/" + record.partition() + "@" + record.offset()
                    + " is not a CloudEvent: " + e.getMessage());
        }
        String contentType = CloudEventRecords.text(record.headers(), CloudEventRecords.CONTENT_TYPE);
        if (!CloudEvent.CONTENT_TYPE.equals(contentType)) {
            throw new AssertionError("content-type header must be application/json, was " + contentType);
        }
        List<String> allowed = EventTypes.BY_TOPIC.getOrDefault(record.topic(), List.of());
        if (!allowed.contains(event.type())) {
            throw new AssertionError("event type " + event.type() + " does not belong on topic " + record.topic()
                    + " (allowed: " + allowed + ")");
        }
        String dataSchema = CloudEventRecords.text(record.headers(), CloudEventRecords.DATA_SCHEMA);
        if (dataSchema != null && !dataSchema.equals(event.dataSchema())) {
            throw new AssertionError("ce_dataschema " + dataSchema + " does not name the schema of " + event.type());
        }
        assertValidPayload(event.type(), event.data());
        return event;
    }

    /** Asserts a JSON payload is valid against the schema of an event type. */
    public static void assertValidPayload(String type, String payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            throw new AssertionError(type + " payload is not JSON: " + e.getMessage());
        }
        Set<ValidationMessage> errors = schema(type).validate(node);
        if (!errors.isEmpty()) {
            throw new AssertionError(type + " payload breaks its schema: " + errors.stream()
                    .map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
        }
    }

    /** The docs/events folder of this checkout. */
    public static Path eventsDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs/events");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/events not found above " + Path.of("").toAbsolutePath());
    }

    private static JsonSchema schema(String type) {
        return SCHEMAS.computeIfAbsent(type, t -> {
            Path file = eventsDirectory().resolve(t + ".schema.json");
            if (!Files.isRegularFile(file)) {
                throw new AssertionError("no JSON Schema for event type " + t + " (expected " + file + ")");
            }
            return FACTORY.getSchema(SchemaLocation.of(file.toUri().toString()), CONFIG);
        });
    }
}
