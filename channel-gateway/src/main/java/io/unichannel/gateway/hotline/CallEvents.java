package io.unichannel.gateway.hotline;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.common.privacy.Masking;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.adapters.StatusText;
import io.unichannel.gateway.intake.Intake;
import io.unichannel.gateway.messaging.EventPublisher;
import io.unichannel.gateway.repository.ProgressRepository;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Calls to the hotline as interactions (TMF683 Party Interaction): the CTI reports each call's
 * start with the caller id, the IVR menu path, the hand-over to an agent and the end; the gateway
 * keeps one interaction per call, linked to the customer the caller id belongs to (recorded as
 * verification level caller-id: the network presented the number, nobody proved it), and counts
 * connected and abandoned calls for the connect rate.
 */
@ApplicationScoped
public class CallEvents {

    /** One CTI event. */
    public record CallEvent(String callId, String event, OffsetDateTime at, String callerId, String ivrPath, String agent) {
    }

    /** An interaction as staff see it. */
    public record Interaction(String id, String channel, String customerId, String callerMasked, String verification,
            OffsetDateTime startedAt, String ivrPath, OffsetDateTime connectedAt, String agent, OffsetDateTime endedAt,
            String outcome) {
    }

    private final PgPool pool;
    private final ChannelCustomers customers;
    private final ProgressRepository progress;
    private final MeterRegistry metrics;
    private final EventPublisher publisher;
    private final ObjectMapper json;

    public CallEvents(PgPool pool, ChannelCustomers customers, ProgressRepository progress, MeterRegistry metrics,
            EventPublisher publisher, ObjectMapper json) {
        this.publisher = publisher;
        this.json = json;
        this.pool = pool;
        this.customers = customers;
        this.progress = progress;
        this.metrics = metrics;
    }

    public Uni<Void> apply(CallEvent e) {
        return switch (e.event()) {
            case "started" -> (e.callerId() == null || e.callerId().isEmpty()
                    ? Uni.createFrom().item(Optional.<Intake.Submitter>empty()) : customers.byCallerId(e.callerId()))
                    .chain(who -> pool.preparedQuery("""
                    INSERT INTO party_interaction (id, channel, customer_id, caller_masked, verification, started_at, updated_at)
                    VALUES ($1, 'hotline', $2, $3, $4, $5, now())
                    ON CONFLICT (id) DO UPDATE SET customer_id = COALESCE(party_interaction.customer_id, EXCLUDED.customer_id),
                        started_at = LEAST(party_interaction.started_at, EXCLUDED.started_at), updated_at = now()""")
                    .execute(Tuple.of(e.callId(), who.map(Intake.Submitter::customerId).orElse(null),
                            e.callerId() == null || e.callerId().isEmpty() ? "withheld" : Masking.msisdn(e.callerId()),
                            who.isPresent() ? "caller-id" : "none", e.at()))
                    .replaceWithVoid());
            case "ivr" -> update("ivr_path = $2", e.callId(), e.ivrPath()).replaceWithVoid();
            case "connected" -> update("connected_at = $2, agent = $3, outcome = 'connected'", e.callId(), e.at(), e.agent())
                    .chain(row -> published(row, "connected"));
            case "abandoned" -> update("ended_at = $2, outcome = COALESCE(outcome, 'abandoned')", e.callId(), e.at())
                    .chain(row -> published(row, "abandoned"));
            case "ended" -> update("ended_at = $2, outcome = COALESCE(outcome, 'ivr-only')", e.callId(), e.at())
                    .chain(row -> published(row, "ended"));
            default -> Uni.createFrom().failure(new IllegalArgumentException("unknown event " + e.event()));
        };
    }

    private Uni<Row> update(String set, String callId, Object... values) {
        Object[] all = new Object[values.length + 1];
        all[0] = callId;
        System.arraycopy(values, 0, all, 1, values.length);
        return pool.preparedQuery("UPDATE party_interaction SET " + set + ", updated_at = now() WHERE id = $1 RETURNING *")
                .execute(Tuple.from(all))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new IllegalArgumentException("no call " + callId + " has started");
                    }
                    return rows.iterator().next();
                });
    }

    /**
     * The call's new state on interaction-events for analytics (connect rate). The CTI is answered
     * only after the broker has it; if it cannot be published the CTI gets a 503 and sends the
     * event again, which updates nothing new and publishes the same event id again.
     */
    private Uni<Void> published(Row row, String state) {
        String callId = row.getString("id");
        OffsetDateTime started = row.getOffsetDateTime("started_at");
        OffsetDateTime connected = row.getOffsetDateTime("connected_at");
        OffsetDateTime ended = row.getOffsetDateTime("ended_at");
        OffsetDateTime answeredOrLeft = connected != null ? connected : "abandoned".equals(state) ? ended : null;
        Map<String, Object> interaction = new LinkedHashMap<>();
        interaction.put("id", callId);
        interaction.put("@type", "PartyInteraction");
        interaction.put("channel", "hotline");
        interaction.put("state", state);
        interaction.put("outcome", row.getString("outcome"));
        interaction.put("startedAt", Timestamps.rfc3339(started));
        interaction.put("connectedAt", connected == null ? null : Timestamps.rfc3339(connected));
        interaction.put("endedAt", ended == null ? null : Timestamps.rfc3339(ended));
        interaction.put("waitSeconds", answeredOrLeft == null ? null
                : Math.max(0, java.time.Duration.between(started, answeredOrLeft).toSeconds()));
        interaction.put("ivrPath", row.getString("ivr_path"));
        interaction.put("agent", row.getString("agent"));
        interaction.put("verification", row.getString("verification"));
        String customer = row.getString("customer_id");
        interaction.put("relatedParty", customer == null ? List.of()
                : List.of(Map.of("id", customer, "role", "customer", "@referredType", "Customer")));
        String eventId = callId + ":" + state;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String payload;
        try {
            payload = json.writeValueAsString(Map.of("eventId", eventId, "eventTime", Timestamps.rfc3339(now),
                    "eventType", EventTypes.PARTY_INTERACTION_STATE_CHANGE, "event", Map.of("partyInteraction", interaction)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return publisher.publish(Topics.INTERACTION_EVENTS, callId, new CloudEvent(eventId, Topics.CHANNEL_GATEWAY,
                EventTypes.PARTY_INTERACTION_STATE_CHANGE, callId, now, payload))
                .invoke(() -> metrics.counter("gateway_calls_total", "outcome", state).increment());
    }

    /** What the IVR reads to the caller: their latest requests, or that the number is not registered. */
    public Uni<Optional<String>> statusText(String callId) {
        return pool.preparedQuery("SELECT customer_id FROM party_interaction WHERE id = $1").execute(Tuple.of(callId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.<String>empty());
                    }
                    String customer = rows.iterator().next().getString("customer_id");
                    if (customer == null) {
                        return Uni.createFrom().item(Optional.of("您的来电号码尚未登记，请转人工服务。"));
                    }
                    return progress.requestsOf(customer, 0, 3).map(list -> Optional.of(StatusText.spoken(list)));
                });
    }

    /** A customer's interactions, newest first (staff; scoped like every staff read of customer data). */
    public Uni<java.util.List<Interaction>> of(String customerId, int offset, int limit) {
        return pool.preparedQuery("""
                SELECT * FROM party_interaction WHERE customer_id = $1 ORDER BY started_at DESC, id OFFSET $2 LIMIT $3""")
                .execute(Tuple.of(customerId, offset, limit))
                .map(rows -> {
                    java.util.List<Interaction> list = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Interaction(r.getString("id"), r.getString("channel"), r.getString("customer_id"),
                                r.getString("caller_masked"), r.getString("verification"), r.getOffsetDateTime("started_at"),
                                r.getString("ivr_path"), r.getOffsetDateTime("connected_at"), r.getString("agent"),
                                r.getOffsetDateTime("ended_at"), r.getString("outcome")));
                    }
                    return list;
                });
    }
}
