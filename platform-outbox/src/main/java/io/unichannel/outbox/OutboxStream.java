package io.unichannel.outbox;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Reads the outbox's inserts from PostgreSQL's logical replication slot (the built-in pgoutput
 * plugin, through pgjdbc's replication API) and hands them on a transaction at a time.
 *
 * <p>Why not Debezium embedded, which did this before: its engine has no blocking wait. It checks
 * the slot and its own queue on a fixed period, so a 10 ms period cost about a tenth of a core per
 * service at rest, and a period long enough to be cheap added its length to every event's latency.
 * Here the reader blocks on the replication socket: it wakes when the server sends a committed
 * transaction (or its keep-alive), so an idle relay costs nothing and an event leaves as soon as
 * its transaction commits. What is left of Debezium's job for one insert-only table is decoding
 * four pgoutput messages (Relation, Insert, Commit, and Begin skipped), documented in PostgreSQL's
 * "Logical Replication Message Formats".
 *
 * <p>The position is confirmed to the server only for transactions the caller has published, so a
 * crash replays events (consumers deduplicate on the event id) and never loses one.
 */
final class OutboxStream implements AutoCloseable {

    /** One outbox row as committed: column name to its text value (null for SQL NULL). */
    record Row(Map<String, String> columns) {
        String get(String column) {
            return columns.get(column);
        }
    }

    /** Receives the rows of complete transactions, in commit order; returns once they are published. */
    @FunctionalInterface
    interface Sink {
        void publish(List<Row> rows) throws InterruptedException;
    }

    private final Connection connection;
    private final PGReplicationStream stream;
    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private final int maxBatch;
    private long lastStatusNanos;

    private OutboxStream(Connection connection, PGReplicationStream stream, int maxBatch) {
        this.connection = connection;
        this.stream = stream;
        this.maxBatch = maxBatch;
    }

    /** Opens a replication session on the slot, from the position the server last confirmed. */
    static OutboxStream open(OutboxRelayConfig config, String applicationName, int maxBatch) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, config.dbUser());
        PGProperty.PASSWORD.set(props, config.dbPassword());
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.CONNECT_TIMEOUT.set(props, 2);
        PGProperty.APPLICATION_NAME.set(props, applicationName.length() > 63 ? applicationName.substring(0, 63) : applicationName);
        Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort() + "/" + config.dbName(), props);
        try {
            PGReplicationStream stream = connection.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(config.slot())
                    .withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", "outbox_capture")
                    // The server's keep-alives and this status keep an idle session alive cheaply.
                    .withStatusInterval(10, TimeUnit.SECONDS)
                    .start();
            return new OutboxStream(connection, stream, maxBatch);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Streams until closed or failed: waits for the next transaction, takes whatever else has
     * arrived meanwhile (up to the batch size, always whole transactions), publishes it and
     * confirms its position.
     */
    void run(Sink sink) throws SQLException, InterruptedException {
        List<Row> batch = new ArrayList<>();
        List<Row> open = new ArrayList<>();
        LogSequenceNumber confirmed = null;
        while (!stream.isClosed()) {
            ByteBuffer message = stream.read();
            while (message != null) {
                LogSequenceNumber end = decoder.decode(message, open);
                if (end != null) {
                    batch.addAll(open);
                    open.clear();
                    confirmed = end;
                    if (batch.size() >= maxBatch) {
                        break;
                    }
                }
                message = stream.readPending();
            }
            if (confirmed != null) {
                if (!batch.isEmpty()) {
                    sink.publish(batch);
                    batch = new ArrayList<>();
                }
                confirm(confirmed);
                confirmed = null;
            }
        }
    }

    /** Tells the server the slot may move past what was published; at most about once a second. */
    private void confirm(LogSequenceNumber lsn) throws SQLException {
        stream.setAppliedLSN(lsn);
        stream.setFlushedLSN(lsn);
        long now = System.nanoTime();
        if (now - lastStatusNanos > TimeUnit.SECONDS.toNanos(1)) {
            stream.forceUpdateStatus();
            lastStatusNanos = now;
        }
    }

    /** Ends the session; a read blocked in another thread fails at once. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closed either way.
        }
    }
}
