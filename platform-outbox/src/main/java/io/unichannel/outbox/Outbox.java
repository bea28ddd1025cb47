package io.unichannel.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTraces;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes a service's events into the shared outbox table, inside the caller's transaction (the reactive SQL client). */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;

    public Outbox(ObjectMapper json) {
        this.json = json;
    }

    /** One event; {@code topic} null for the relay's own topic. */
    public Uni<Void> add(SqlClient tx, String aggregateType, String aggregateId, String eventType, OffsetDateTime at,
            Object payload, String topic) {
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("event " + eventType + " could not be written", e));
        }
        String traceparent = EventTraces.traceparent(io.opentelemetry.context.Context.current());
        return tx.preparedQuery("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, occurred_at, payload, topic, traceparent) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(new Object[] {UUID.randomUUID(), aggregateType, aggregateId, eventType, at, body, topic,
                        traceparent}))
                .replaceWithVoid();
    }
}
