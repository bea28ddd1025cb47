package io.unichannel.gateway.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.unichannel.gateway.tracking.Progress;
import io.unichannel.gateway.tracking.ProgressUpdate;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The progress view in PostgreSQL: requests, their steps and customer merges. Every write is
 * idempotent (a replayed record changes nothing), so the projector may see a record twice.
 */
@ApplicationScoped
public class ProgressRepository {

    /** A request as its customer sees it in a list. */
    public record RequestRow(UUID requestId, String customerId, String channel, String ticketId, String status,
            OffsetDateTime lastUpdate) {
    }

    private static final String CANONICAL = "COALESCE((SELECT survivor_id FROM customer_alias WHERE merged_id = $%d), $%d)";

    /**
     * Whether a step replaces the request's current status: a later step does, except a failure
     * once the request has a ticket; and a ticket's step always replaces a failure (a failure never
     * overrides a ticket that exists, whatever order the two arrive in).
     */
    private static final String WINS = """
            (EXCLUDED.status_sequence > tracked_request.status_sequence
               AND NOT (EXCLUDED.status_sequence = %1$d AND tracked_request.ticket_id IS NOT NULL)
             OR tracked_request.status_sequence = %1$d AND EXCLUDED.ticket_id IS NOT NULL)""".formatted(Progress.FAILED_SEQUENCE);

    /** A step and the request's summary in one statement (one round trip): $1-$8 and $10 the step's columns, $9 the customer. */
    private static final String RECORD_STEP = """
            WITH step AS (
              INSERT INTO progress_step (request_id, sequence, event_type, status, status_change_reason, ticket_id, channel, time,
                                         expected_by)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10) ON CONFLICT DO NOTHING)
            INSERT INTO tracked_request (request_id, customer_id, channel, ticket_id, status, status_sequence, last_update)
            VALUES ($1, %1$s, $7, $6, $4, $2, $8)
            ON CONFLICT (request_id) DO UPDATE SET
              ticket_id = COALESCE(tracked_request.ticket_id, EXCLUDED.ticket_id),
              customer_id = CASE WHEN %2$s THEN EXCLUDED.customer_id ELSE tracked_request.customer_id END,
              channel = CASE WHEN EXCLUDED.status_sequence = 0 THEN EXCLUDED.channel ELSE tracked_request.channel END,
              status = CASE WHEN %2$s THEN EXCLUDED.status ELSE tracked_request.status END,
              last_update = CASE WHEN %2$s THEN EXCLUDED.last_update ELSE tracked_request.last_update END,
              status_sequence = CASE WHEN %2$s THEN EXCLUDED.status_sequence ELSE tracked_request.status_sequence END"""
            .formatted(CANONICAL.formatted(9, 9), WINS);

    private static final String STEP_COLUMNS = "s.request_id, s.ticket_id, s.sequence, s.event_type, s.status, "
            + "s.status_change_reason, s.channel, s.time, s.expected_by";

    private final PgPool pool;

    public ProgressRepository(PgPool pool) {
        this.pool = pool;
    }

    /** Applies a batch of updates in one transaction, in order. */
    public Uni<Void> apply(List<ProgressUpdate> updates) {
        if (updates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(connection -> {
            // Runs of steps go as one pipelined batch; merges and failures (rare) one by one, in order.
            Uni<Void> chain = Uni.createFrom().voidItem();
            List<Tuple> run = new ArrayList<>();
            for (ProgressUpdate update : updates) {
                if (update instanceof ProgressUpdate.Step step) {
                    run.add(stepTuple(step.customerId(), step.progress()));
                    continue;
                }
                List<Tuple> batch = run;
                chain = chain.chain(() -> steps(connection, batch));
                run = new ArrayList<>();
                chain = chain.chain(() -> apply(connection, update));
            }
            List<Tuple> last = run;
            return chain.chain(() -> steps(connection, last));
        });
    }

    private static Uni<Void> steps(SqlClient connection, List<Tuple> run) {
        return run.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(RECORD_STEP).executeBatch(run).replaceWithVoid();
    }

    private Uni<Void> apply(SqlClient connection, ProgressUpdate update) {
        if (update instanceof ProgressUpdate.Step step) {
            return record(connection, step.customerId(), step.progress());
        }
        if (update instanceof ProgressUpdate.Failure failure) {
            return connection.preparedQuery(
                    "SELECT customer_id, channel, ticket_id FROM tracked_request WHERE request_id = $1")
                    .execute(Tuple.of(failure.progress().requestId())).chain(rows -> {
                        // Intake writes the request before it is queued; a failure without one is not ours,
                        // and a request that became a ticket did not fail, whatever a letter says.
                        if (!rows.iterator().hasNext() || rows.iterator().next().getString("ticket_id") != null) {
                            return Uni.createFrom().voidItem();
                        }
                        Row row = rows.iterator().next();
                        return record(connection, row.getString("customer_id"),
                                failure.progress().withChannel(row.getString("channel")));
                    });
        }
        ProgressUpdate.Merge merge = (ProgressUpdate.Merge) update;
        return connection.preparedQuery("""
                    INSERT INTO customer_alias (merged_id, survivor_id) VALUES ($1, $2)
                    ON CONFLICT (merged_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id""")
                    .execute(Tuple.of(merge.mergedId(), merge.survivorId()))
                    .chain(() -> connection.preparedQuery("UPDATE customer_alias SET survivor_id = $2 WHERE survivor_id = $1")
                            .execute(Tuple.of(merge.mergedId(), merge.survivorId())))
                    .chain(() -> connection.preparedQuery("UPDATE tracked_request SET customer_id = $2 WHERE customer_id = $1")
                            .execute(Tuple.of(merge.mergedId(), merge.survivorId())))
                    .replaceWithVoid();
    }

    /** Records one step of a customer's request (idempotent). */
    public Uni<Void> record(String customerId, Progress step) {
        return record(pool, customerId, step);
    }

    private static Uni<Void> record(SqlClient client, String customerId, Progress step) {
        return client.preparedQuery(RECORD_STEP).execute(stepTuple(customerId, step)).replaceWithVoid();
    }

    private static Tuple stepTuple(String customerId, Progress step) {
        return tuple(step.requestId(), step.sequence(), step.eventType(), step.status(), step.statusChangeReason(),
                step.ticketId(), step.channel(), step.time(), customerId, step.expectedBy());
    }

    /** Forgets a submission that could not be queued (the client was told nothing was submitted). */
    public Uni<Void> forget(UUID requestId) {
        return pool.preparedQuery("DELETE FROM progress_step WHERE request_id = $1").execute(Tuple.of(requestId))
                .chain(() -> pool.preparedQuery("DELETE FROM tracked_request WHERE request_id = $1 AND status_sequence = 0")
                        .execute(Tuple.of(requestId)))
                .replaceWithVoid();
    }

    /** Who owns a request, and on which channel it was made. */
    public Uni<Optional<RequestRow>> ownerOf(UUID requestId) {
        return pool.preparedQuery("SELECT * FROM tracked_request WHERE request_id = $1").execute(Tuple.of(requestId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(request(rows.iterator().next())) : Optional.empty());
    }

    /** The id a customer answers to today: the survivor for a merged record. */
    public Uni<String> canonical(String customerId) {
        return pool.preparedQuery("SELECT " + CANONICAL.formatted(1, 1)).execute(Tuple.of(customerId))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** Every id whose steps belong to this (canonical) customer: theirs and the ids merged into it. */
    public Uni<List<String>> idsOf(String canonicalId) {
        return pool.preparedQuery("SELECT merged_id FROM customer_alias WHERE survivor_id = $1")
                .execute(Tuple.of(canonicalId)).map(rows -> {
                    List<String> ids = new ArrayList<>();
                    ids.add(canonicalId);
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /** The request if it belongs to this customer (or a record merged into theirs). */
    public Uni<Optional<RequestRow>> find(UUID requestId, String customerId) {
        return pool.preparedQuery("SELECT * FROM tracked_request WHERE request_id = $1 AND customer_id = "
                + CANONICAL.formatted(2, 2)).execute(Tuple.of(requestId, customerId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(request(rows.iterator().next())) : Optional.empty());
    }

    /** A page of the customer's requests, most recently updated first. */
    public Uni<List<RequestRow>> requestsOf(String customerId, int offset, int limit) {
        return pool.preparedQuery("SELECT * FROM tracked_request WHERE customer_id = " + CANONICAL.formatted(1, 1)
                + " ORDER BY last_update DESC, request_id LIMIT $2 OFFSET $3").execute(Tuple.of(customerId, limit, offset))
                .map(rows -> {
                    List<RequestRow> list = new ArrayList<>();
                    rows.forEach(row -> list.add(request(row)));
                    return list;
                });
    }

    /** A request's steps after {@code afterSequence}, oldest first. */
    public Uni<List<Progress>> steps(UUID requestId, int afterSequence) {
        return pool.preparedQuery("SELECT " + STEP_COLUMNS + " FROM progress_step s WHERE s.request_id = $1 "
                + "AND s.sequence > $2 ORDER BY s.sequence").execute(Tuple.of(requestId, afterSequence)).map(ProgressRepository::steps);
    }

    /** The steps of all of a customer's requests since a time, oldest first, at most {@code limit}. */
    public Uni<List<Progress>> stepsOfCustomer(String canonicalId, OffsetDateTime since, int limit) {
        return pool.preparedQuery("SELECT " + STEP_COLUMNS + " FROM progress_step s JOIN tracked_request r "
                + "ON r.request_id = s.request_id WHERE r.customer_id = $1 AND s.time > $2 "
                + "ORDER BY s.time, s.sequence LIMIT $3").execute(Tuple.of(canonicalId, since, limit))
                .map(ProgressRepository::steps);
    }

    /** One step of a customer's request, if it exists. */
    public Uni<Optional<Progress>> step(UUID requestId, int sequence, String customerId) {
        return pool.preparedQuery("SELECT " + STEP_COLUMNS + " FROM progress_step s JOIN tracked_request r "
                + "ON r.request_id = s.request_id WHERE s.request_id = $1 AND s.sequence = $2 AND r.customer_id = "
                + CANONICAL.formatted(3, 3)).execute(Tuple.of(requestId, sequence, customerId))
                .map(rows -> steps(rows).stream().findFirst());
    }

    private static List<Progress> steps(Iterable<Row> rows) {
        List<Progress> list = new ArrayList<>();
        for (Row row : rows) {
            list.add(new Progress(row.getUUID("request_id"), row.getString("ticket_id"), row.getInteger("sequence"),
                    row.getString("event_type"), row.getString("status"), row.getString("status_change_reason"),
                    row.getString("channel"), row.getOffsetDateTime("time"), row.getOffsetDateTime("expected_by")));
        }
        return list;
    }

    private static RequestRow request(Row row) {
        return new RequestRow(row.getUUID("request_id"), row.getString("customer_id"), row.getString("channel"),
                row.getString("ticket_id"), row.getString("status"), row.getOffsetDateTime("last_update"));
    }

    /** A tuple that may hold nulls (optional columns). */
    private static Tuple tuple(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value);
        }
        return tuple;
    }
}
