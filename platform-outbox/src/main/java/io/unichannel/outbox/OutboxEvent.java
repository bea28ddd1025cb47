package io.unichannel.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.opentelemetry.context.Context;
import io.unichannel.common.events.EventTraces;
import jakarta.persistence.Entity;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An event waiting in the outbox, written in the same transaction as the change it reports.
 * {@link OutboxRelay} publishes it to Kafka; its id becomes the CloudEvent id and its aggregate id
 * the record key. The topic is the relay's configured one unless the row names another.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    public UUID id;
    public String aggregateType;
    public String aggregateId;
    public String eventType;
    public OffsetDateTime occurredAt;
    public String payload;
    public String topic;
    /** The trace of the change that wrote it (W3C traceparent), or null; see {@link EventTraces}. */
    public String traceparent;

    public static OutboxEvent of(UUID id, String aggregateType, String aggregateId, String eventType,
            OffsetDateTime occurredAt, String payload) {
        OutboxEvent event = new OutboxEvent();
        event.id = id;
        event.aggregateType = aggregateType;
        event.aggregateId = aggregateId;
        event.eventType = eventType;
        event.occurredAt = occurredAt;
        event.payload = payload;
        return event;
    }

    /** The same event, published in the trace of {@code trace} (what a batch consumer applied, say). */
    public OutboxEvent tracedFrom(Context trace) {
        traceparent = EventTraces.traceparent(trace);
        return this;
    }

    /** Unless told otherwise, an event belongs to the trace that is current when it is written. */
    @PrePersist
    void currentTrace() {
        if (traceparent == null) {
            traceparent = EventTraces.traceparent(Context.current());
        }
    }

    /** The same event, sent to another topic than the service's own. */
    public OutboxEvent to(String otherTopic) {
        topic = otherTopic;
        return this;
    }
}
