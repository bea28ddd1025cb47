package io.unichannel.gateway.repository;

import java.time.Duration;

import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which notifications were delivered, shared by every replica. Blocking; for the dispatcher's
 * worker thread. A text is recorded as {@code sending} before the provider is called, so a
 * delivery receipt that overtakes the provider's answer finds its row; the outcome recorded after
 * the call then moves only a {@code sending} (or {@code held}) row on and never overwrites a
 * receipt. A notice still {@code sending} counts as not yet told: it is sent again under the same
 * reference, which the provider drops as a duplicate if the first call got through.
 */
@ApplicationScoped
public class DeliveryLedger {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final PgPool pool;

    public DeliveryLedger(PgPool pool) {
        this.pool = pool;
    }

    /** The outcome recorded for a notice, if any (a notice still being sent has none yet). */
    public java.util.Optional<String> outcome(String notificationId) {
        var rows = pool.preparedQuery("SELECT outcome FROM notification_delivery WHERE notification_id = $1 AND outcome <> 'sending'")
                .execute(Tuple.of(notificationId)).await().atMost(WAIT);
        return rows.iterator().hasNext() ? java.util.Optional.ofNullable(rows.iterator().next().getString("outcome"))
                : java.util.Optional.empty();
    }

    public boolean delivered(String notificationId) {
        return pool.preparedQuery("SELECT 1 FROM notification_delivery WHERE notification_id = $1 AND outcome <> 'sending'")
                .execute(Tuple.of(notificationId)).await().atMost(WAIT).iterator().hasNext();
    }

    /** A text is about to go to the provider under this reference: its receipt may come back before the answer. */
    public void sending(String notificationId, String customerId, String channel, String purpose) {
        pool.preparedQuery("INSERT INTO notification_delivery (notification_id, outcome, customer_id, channel, purpose) "
                + "VALUES ($1, 'sending', $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(notificationId, customerId, channel, purpose)).await().atMost(WAIT);
    }

    /** A notice's outcome, with whose it was, its channel and its purpose (one-time-code, resolution, reply). */
    public void record(String notificationId, String outcome, String customerId, String channel, String purpose) {
        pool.preparedQuery("INSERT INTO notification_delivery (notification_id, outcome, customer_id, channel, purpose) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (notification_id) DO UPDATE SET outcome = EXCLUDED.outcome, "
                + "channel = EXCLUDED.channel, delivered_at = now() WHERE notification_delivery.outcome = 'sending'")
                .execute(Tuple.of(notificationId, outcome, customerId, channel, purpose)).await().atMost(WAIT);
    }

    /** A customer's notices, newest first, a page at a time. */
    public io.smallrye.mutiny.Uni<java.util.List<java.util.Map<String, Object>>> of(java.util.List<String> customerIds, int offset,
            int limit) {
        return pool.preparedQuery("""
                SELECT notification_id, channel, purpose, outcome, delivered_at, receipt_code, receipt_at
                FROM notification_delivery WHERE customer_id = ANY($1) ORDER BY delivered_at DESC OFFSET $2 LIMIT $3""")
                .execute(Tuple.of(customerIds.toArray(String[]::new), offset, limit))
                .map(rows -> {
                    java.util.List<java.util.Map<String, Object>> list = new java.util.ArrayList<>();
                    for (var row : rows) {
                        java.util.Map<String, Object> item = new java.util.LinkedHashMap<>();
                        item.put("channel", row.getString("channel"));
                        item.put("purpose", row.getString("purpose"));
                        item.put("outcome", row.getString("outcome"));
                        item.put("at", row.getOffsetDateTime("delivered_at"));
                        if (row.getString("receipt_code") != null) {
                            item.put("receipt", row.getString("receipt_code"));
                            item.put("receiptAt", row.getOffsetDateTime("receipt_at"));
                        }
                        list.add(item);
                    }
                    return list;
                });
    }

    public void record(String notificationId, String outcome) {
        pool.preparedQuery("INSERT INTO notification_delivery (notification_id, outcome) VALUES ($1, $2) "
                + "ON CONFLICT (notification_id) DO UPDATE SET outcome = EXCLUDED.outcome, delivered_at = now() "
                + "WHERE notification_delivery.outcome = 'sending'").execute(Tuple.of(notificationId, outcome)).await().atMost(WAIT);
    }

    /** A held notice went out: held becomes sent, unless its receipt already came back. */
    public void update(String notificationId, String outcome) {
        pool.preparedQuery("INSERT INTO notification_delivery (notification_id, outcome) VALUES ($1, $2) "
                + "ON CONFLICT (notification_id) DO UPDATE SET outcome = EXCLUDED.outcome, delivered_at = now() "
                + "WHERE notification_delivery.outcome IN ('held', 'sending')")
                .execute(Tuple.of(notificationId, outcome)).await().atMost(WAIT);
    }
}
