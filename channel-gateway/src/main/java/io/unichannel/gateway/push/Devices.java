package io.unichannel.gateway.push;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The customers' APP installations, shared by every replica. A push token belongs to the last
 * customer who registered it (a handset changes hands, an account signs out); a customer keeps at
 * most {@link #MOST} installations, the least recently seen going first.
 */
@ApplicationScoped
public class Devices {

    public static final int MOST = 10;

    /** One installation; the token stays inside the gateway. */
    public record Device(UUID id, String customerId, String platform, String pushToken, String appVersion,
            OffsetDateTime registeredAt, OffsetDateTime lastSeenAt) {
    }

    private final PgPool pool;

    public Devices(PgPool pool) {
        this.pool = pool;
    }

    public Uni<Device> register(String customerId, String platform, String pushToken, String appVersion) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                INSERT INTO app_device (id, customer_id, platform, push_token, app_version, registered_at, last_seen_at)
                VALUES ($1, $2, $3, $4, $5, now(), now())
                ON CONFLICT (push_token) DO UPDATE SET customer_id = EXCLUDED.customer_id, platform = EXCLUDED.platform,
                    app_version = EXCLUDED.app_version, last_seen_at = now(),
                    registered_at = CASE WHEN app_device.customer_id = EXCLUDED.customer_id THEN app_device.registered_at
                        ELSE now() END
                RETURNING *""")
                .execute(Tuple.of(UUID.randomUUID(), customerId, platform, pushToken, appVersion))
                .map(rows -> device(rows.iterator().next()))
                .call(device -> tx.preparedQuery("""
                        DELETE FROM app_device WHERE customer_id = $1 AND id NOT IN (
                            SELECT id FROM app_device WHERE customer_id = $1 ORDER BY last_seen_at DESC, id LIMIT $2)""")
                        .execute(Tuple.of(customerId, MOST))));
    }

    public Uni<List<Device>> of(List<String> customerIds) {
        return pool.preparedQuery("SELECT * FROM app_device WHERE customer_id = ANY($1) ORDER BY last_seen_at DESC, id")
                .execute(Tuple.of(customerIds.toArray(String[]::new)))
                .map(rows -> {
                    java.util.ArrayList<Device> list = new java.util.ArrayList<>();
                    rows.forEach(row -> list.add(device(row)));
                    return list;
                });
    }

    /** Removes one of the customer's installations; false when they have no such installation. */
    public Uni<Boolean> remove(List<String> customerIds, UUID id) {
        return pool.preparedQuery("DELETE FROM app_device WHERE id = $1 AND customer_id = ANY($2)")
                .execute(Tuple.of(id, customerIds.toArray(String[]::new))).map(rows -> rows.rowCount() > 0);
    }

    /** Forgets tokens the push provider no longer knows (the APP was removed, the token expired). */
    public Uni<Integer> forget(List<String> pushTokens) {
        return pool.preparedQuery("DELETE FROM app_device WHERE push_token = ANY($1)")
                .execute(Tuple.of(pushTokens.toArray(String[]::new))).map(rows -> rows.rowCount());
    }

    private static Device device(Row row) {
        return new Device(row.getUUID("id"), row.getString("customer_id"), row.getString("platform"),
                row.getString("push_token"), row.getString("app_version"), row.getOffsetDateTime("registered_at"),
                row.getOffsetDateTime("last_seen_at"));
    }
}
