package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The event contract on a real Kafka broker: every documented event type, sent the way services
 * send it, arrives with CloudEvents headers and a payload its JSON Schema accepts; broken records
 * are caught by the same check the services' tests use.
 */
class EventContractTest {

    static Stream<Arguments> everyEventType() {
        return EventTypes.BY_TOPIC.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(type -> Arguments.of(e.getKey(), type)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("everyEventType")
    void documentedExampleTravelsThroughKafkaAndMatchesItsSchema(String topic, String type) throws IOException {
        CloudEvent sent = CloudEvent.of("/unichannel/contract-test", type, "subject-1", example(type));

        ConsumerRecord<String, String> received = roundTrip(topic, sent);
        CloudEvent checked = EventSchemaAssert.assertValidEvent(received);

        assertThat(checked).isEqualTo(sent);
        assertThat(received.key()).isEqualTo("subject-1");
    }

    @Test
    void recordWithoutCloudEventHeadersIsRejected() throws IOException {
        RecordMetadata position = KafkaTestSupport.send(new ProducerRecord<>(Topics.TICKET_EVENTS, "TT-1",
                example(EventTypes.TROUBLE_TICKET_CREATE)));

        assertThatThrownBy(() -> EventSchemaAssert.assertValidEvent(KafkaTestSupport.read(position)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not a CloudEvent");
    }

    @Test
    void payloadThatBreaksItsSchemaIsRejected() throws IOException {
        String unknownStatus = example(EventTypes.TROUBLE_TICKET_CREATE).replace("\"acknowledged\"", "\"open\"");
        CloudEvent event = CloudEvent.of("/unichannel/contract-test", EventTypes.TROUBLE_TICKET_CREATE, "TT-1",
                unknownStatus);

        ConsumerRecord<String, String> received = roundTrip(Topics.TICKET_EVENTS, event);

        assertThatThrownBy(() -> EventSchemaAssert.assertValidEvent(received))
                .isInstanceOf(AssertionError.class).hasMessageContaining("breaks its schema").hasMessageContaining("status");
    }

    @Test
    void eventOnTheWrongTopicIsRejected() throws IOException {
        CloudEvent event = CloudEvent.of("/unichannel/contract-test", EventTypes.CUSTOMER_REGISTERED, "C-1",
                example(EventTypes.CUSTOMER_REGISTERED));

        ConsumerRecord<String, String> received = roundTrip(Topics.TICKET_EVENTS, event);

        assertThatThrownBy(() -> EventSchemaAssert.assertValidEvent(received))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not belong on topic ticket-events");
    }

    @Test
    void unmaskedPhoneNumberBreaksTheIdentitySchema() throws IOException {
        String unmasked = example(EventTypes.CUSTOMER_REGISTERED).replace("138****5678", "13812345678");

        assertThatThrownBy(() -> EventSchemaAssert.assertValidPayload(EventTypes.CUSTOMER_REGISTERED, unmasked))
                .isInstanceOf(AssertionError.class).hasMessageContaining("msisdnMasked");
    }

    @Test
    void everySchemaFileBelongsToARegisteredEventType() throws IOException {
        Map<String, java.util.List<String>> byTopic = EventTypes.BY_TOPIC;
        try (Stream<Path> files = Files.list(EventSchemaAssert.eventsDirectory())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json"))
                    .map(n -> n.substring(0, n.length() - ".schema.json".length())))
                    .allMatch(type -> byTopic.values().stream().anyMatch(types -> types.contains(type)),
                            "registered in EventTypes.BY_TOPIC");
        }
    }

    private static ConsumerRecord<String, String> roundTrip(String topic, CloudEvent event) {
        return KafkaTestSupport.read(KafkaTestSupport.send(CloudEventRecords.toRecord(topic, event.subject(), event)));
    }

    private static String example(String type) throws IOException {
        return Files.readString(EventSchemaAssert.eventsDirectory().resolve("examples/" + type + ".json"));
    }
}
