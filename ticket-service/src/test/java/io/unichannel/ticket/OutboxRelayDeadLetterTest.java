package io.unichannel.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An outbox event the broker can never take (larger than it accepts) goes to dead-letters with the
 * reason, and the events written after it are still published. On the main of 2026-11-22 such an
 * event stopped all publishing.
 */
@QuarkusTest
class OutboxRelayDeadLetterTest {

    @Test
    void anEventTooLargeToPublishIsSetAsideAndPublishingGoesOn() throws Exception {
        String tooLarge = UUID.randomUUID().toString();
        String next = UUID.randomUUID().toString();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_test", "postgres", "postgres")) {
            insert(db, tooLarge, "TT-HUGE", "{\"padding\":\"" + "x".repeat(3_000_000) + "\"}");
            insert(db, next, "TT-NEXT", "{\"small\":true}");
        }
        List<ConsumerRecord<String, String>> published = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> "TT-NEXT".equals(r.key()), 1, Duration.ofSeconds(30));
        assertThat(published).as("the event after the unpublishable one").hasSize(1);
        List<ConsumerRecord<String, String>> letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS,
                r -> "TT-HUGE".equals(r.key()), 1, Duration.ofSeconds(10));
        assertThat(letters).hasSize(1);
        EventSchemaAssert.assertValidEvent(letters.get(0));
        assertThat(letters.get(0).value()).contains("\"eventId\":\"" + tooLarge + "\"")
                .contains("RecordTooLargeException").contains("\"originalTopic\":\"ticket-events\"");
        assertThat(letters.get(0).value().length()).isLessThan(100_000);
    }

    private static void insert(Connection db, String id, String aggregate, String payload) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, occurred_at, payload)
                VALUES (?::uuid, 'TroubleTicket', ?, 'TroubleTicketAttributeValueChangeEvent', ?, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, aggregate);
            insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            insert.setString(4, payload);
            insert.executeUpdate();
        }
    }
}
