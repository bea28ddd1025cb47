package io.unichannel.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The lease that decides which replica publishes a database's outbox: one row per replication
 * slot, taken when free or expired and renewed by its holder. Times come from the database clock,
 * so replicas need not agree on theirs. Not thread-safe: one relay thread uses it.
 */
final class RelayLease implements AutoCloseable {

    private final OutboxRelayConfig config;
    private final String holder;
    private Connection connection;

    RelayLease(OutboxRelayConfig config, String holder) {
        this.config = config;
        this.holder = holder;
    }

    String holder() {
        return holder;
    }

    /** Takes the lease if it is free, expired or already ours; true while this replica holds it. */
    boolean acquireOrRenew() throws SQLException {
        try (PreparedStatement update = connection().prepareStatement("""
                UPDATE outbox_relay_lease
                   SET holder = ?, expires_at = now() + make_interval(secs => ?),
                       acquired_at = CASE WHEN holder = ? AND expires_at > now() THEN acquired_at ELSE now() END
                 WHERE slot = ? AND (holder = ? OR holder IS NULL OR expires_at < now()
                       -- a holder whose lease connection is gone (killed, crashed) needs no waiting out
                       OR NOT EXISTS (SELECT 1 FROM pg_stat_activity
                                       WHERE application_name = left('outbox-lease:' || holder, 63)))""")) {
            update.setString(1, holder);
            update.setDouble(2, config.leaseMs() / 1000.0);
            update.setString(3, holder);
            update.setString(4, config.slot());
            update.setString(5, holder);
            return update.executeUpdate() == 1;
        }
    }

    /** The current holder, if the lease is held and not expired. */
    Optional<String> currentHolder() throws SQLException {
        try (PreparedStatement query = connection().prepareStatement(
                "SELECT holder FROM outbox_relay_lease WHERE slot = ? AND expires_at > now()")) {
            query.setString(1, config.slot());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Ends the streaming session of a previous holder that is cut off or frozen but whose
     * connection the server still keeps: the slot admits one reader, and its lease has expired.
     *
     * @return how many sessions were ended
     */
    int fencePreviousHolder() throws SQLException {
        try (PreparedStatement fence = connection().prepareStatement("""
                SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots
                 WHERE slot_name = ? AND active_pid IS NOT NULL""")) {
            fence.setString(1, config.slot());
            int ended = 0;
            try (ResultSet rows = fence.executeQuery()) {
                while (rows.next()) {
                    ended += rows.getBoolean(1) ? 1 : 0;
                }
            }
            if (ended > 0) {
                awaitSlotFree();
            }
            return ended;
        }
    }

    /** Termination is asynchronous: wait (briefly) until the server has let go of the slot. */
    private void awaitSlotFree() throws SQLException {
        try (PreparedStatement active = connection().prepareStatement(
                "SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL")) {
            active.setString(1, config.slot());
            for (int i = 0; i < 30; i++) {
                try (ResultSet rows = active.executeQuery()) {
                    if (!rows.next()) {
                        return;
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Hands the lease back at shutdown so a standby takes over at its next check, not after expiry. */
    void release() throws SQLException {
        try (PreparedStatement release = connection().prepareStatement(
                "UPDATE outbox_relay_lease SET expires_at = '-infinity' WHERE slot = ? AND holder = ?")) {
            release.setString(1, config.slot());
            release.setString(2, holder);
            release.executeUpdate();
        }
    }

    /** Removes published rows older than the retention, in bounded batches; returns how many went. */
    int prune() throws SQLException {
        int total = 0;
        try (PreparedStatement prune = connection().prepareStatement("""
                DELETE FROM outbox_event WHERE id IN (
                  SELECT id FROM outbox_event WHERE created_at < now() - make_interval(secs => ?) LIMIT 5000)""")) {
            prune.setDouble(1, config.retention().toMillis() / 1000.0);
            int removed;
            do {
                removed = prune.executeUpdate();
                total += removed;
            } while (removed == 5000);
        }
        return total;
    }

    private Connection connection() throws SQLException {
        // A broken connection fails its next statement; the relay then closes it and the next check reconnects.
        if (connection == null || connection.isClosed()) {
            close();
            String url = "jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort() + "/" + config.dbName()
                    // A cut-off database must not hang the lease thread past the lease.
                    + "?connectTimeout=1&socketTimeout=" + Math.max(1, config.leaseMs() / 3000)
                    + "&ApplicationName=" + java.net.URLEncoder.encode(applicationName(), java.nio.charset.StandardCharsets.UTF_8);
            connection = DriverManager.getConnection(url, config.dbUser(), config.dbPassword());
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** How this replica's lease connection shows in pg_stat_activity (PostgreSQL keeps 63 characters). */
    private String applicationName() {
        String name = "outbox-lease:" + holder;
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is gone either way.
            }
            connection = null;
        }
    }
}
