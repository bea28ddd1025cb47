package io.unichannel.gateway.repository;

import java.time.Duration;

import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Which notifications were delivered, shared by every replica. Blocking; for the dispatcher's worker thread. */
@ApplicationScoped
public class DeliveryLedger {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final PgPool pool;

    public DeliveryLedger(PgPool pool) {
        this.pool = pool;
    }

    public boolean delivered(String notificationId) {
        return pool.preparedQuery("SELECT 1 FROM notification_delivery WHERE notification_id = $1")
                .execute(Tuple.of(notificationId)).await().atMost(WAIT).iterator().hasNext();
    }

    public void record(String notificationId, String outcome) {
        pool.preparedQuery("INSERT INTO notification_delivery (notification_id, outcome) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(notificationId, outcome)).await().atMost(WAIT);
    }

    /** A notice's outcome changes (held, then sent; sent, then delivered by receipt). */
    public void update(String notificationId, String outcome) {
        pool.preparedQuery("INSERT INTO notification_delivery (notification_id, outcome) VALUES ($1, $2) "
                + "ON CONFLICT (notification_id) DO UPDATE SET outcome = EXCLUDED.outcome, delivered_at = now()")
                .execute(Tuple.of(notificationId, outcome)).await().atMost(WAIT);
    }
}
