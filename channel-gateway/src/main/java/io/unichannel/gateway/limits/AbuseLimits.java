package io.unichannel.gateway.limits;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What one customer or one channel may ask of the gateway, counted in PostgreSQL so the limits
 * hold across every replica: submissions per customer per minute and per day, submissions per
 * channel per second (a flood through one adapter cannot starve the others), and concurrent
 * progress streams per customer. Over a limit: 429 with Retry-After, nothing submitted.
 */
@ApplicationScoped
public class AbuseLimits {

    private static final Duration STREAM_STALE = Duration.ofMinutes(1);

    private final PgPool pool;
    private final int perCustomerPerMinute;
    private final int perCustomerPerDay;
    private final int perChannelPerSecond;
    private final int streamsPerCustomer;
    private final MeterRegistry meters;
    /** Streams this replica serves now: bounded by its open connections, renewed in the table every 15 s. */
    private final Set<UUID> local = ConcurrentHashMap.newKeySet();

    public AbuseLimits(PgPool pool, MeterRegistry meters,
            @ConfigProperty(name = "gateway.limits.customer-per-minute") int perCustomerPerMinute,
            @ConfigProperty(name = "gateway.limits.customer-per-day") int perCustomerPerDay,
            @ConfigProperty(name = "gateway.limits.channel-per-second") int perChannelPerSecond,
            @ConfigProperty(name = "gateway.limits.streams-per-customer") int streamsPerCustomer) {
        this.pool = pool;
        this.meters = meters;
        this.perCustomerPerMinute = perCustomerPerMinute;
        this.perCustomerPerDay = perCustomerPerDay;
        this.perChannelPerSecond = perChannelPerSecond;
        this.streamsPerCustomer = streamsPerCustomer;
    }

    private record Window(String key, OffsetDateTime start, Duration length, int limit, String what) {
    }

    /** A submission waiting for its round: its windows, and where to tell the outcome. */
    private record Waiting(List<Window> windows, OffsetDateTime now, UniEmitter<? super Void> outcome, Context context) {
    }

    /** Submissions that arrived while a round was in flight; they go together in the next one. */
    private final List<Waiting> queue = new ArrayList<>();
    private boolean roundInFlight;

    /**
     * Counts one submission; fails with a 429 problem when the customer or the channel is over its limit.
     *
     * <p>The counters live in PostgreSQL, so the limits hold across replicas, but they are not
     * written once per request: submissions that arrive while a round is in flight wait for the
     * next one, and a round adds them all to their counters in one statement (group commit). At a
     * few requests a second a round holds one submission and adds nothing to its latency; at the
     * month-start peak a round holds hundreds, the channel's counter row is written once a round
     * instead of once a request, and no request queues behind another's row lock.
     */
    public Uni<Void> admitSubmission(String customerId, String channel) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Window> windows = List.of(
                new Window("c:" + customerId + ":m", now.truncatedTo(ChronoUnit.MINUTES), Duration.ofMinutes(1),
                        perCustomerPerMinute, perCustomerPerMinute + " requests a minute"),
                new Window("c:" + customerId + ":d", now.truncatedTo(ChronoUnit.DAYS), Duration.ofDays(1),
                        perCustomerPerDay, perCustomerPerDay + " requests a day"),
                new Window("ch:" + channel + ":s", now.truncatedTo(ChronoUnit.SECONDS), Duration.ofSeconds(1),
                        perChannelPerSecond, "the channel's " + perChannelPerSecond + " requests a second"));
        return Uni.createFrom().emitter(emitter -> {
            boolean startRound;
            synchronized (queue) {
                queue.add(new Waiting(windows, now, emitter, Vertx.currentContext()));
                startRound = !roundInFlight;
                roundInFlight = true;
            }
            if (startRound) {
                nextRound();
            }
        });
    }

    /** Takes everything queued into one round; when it is answered, the next round takes what came meanwhile. */
    private void nextRound() {
        List<Waiting> round;
        synchronized (queue) {
            if (queue.isEmpty()) {
                roundInFlight = false;
                return;
            }
            round = new ArrayList<>(queue.subList(0, Math.min(queue.size(), MAX_ROUND)));
            queue.subList(0, round.size()).clear();
        }
        // One increment per distinct counter: a statement may not touch the same row twice.
        Map<String, Integer> increments = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        List<OffsetDateTime> starts = new ArrayList<>();
        for (Waiting waiting : round) {
            for (Window window : waiting.windows()) {
                if (increments.merge(slot(window.key(), window.start()), 1, Integer::sum) == 1) {
                    keys.add(window.key());
                    starts.add(window.start());
                }
            }
        }
        List<Integer> counts = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            counts.add(increments.get(slot(keys.get(i), starts.get(i))));
        }
        pool.preparedQuery("""
                INSERT INTO intake_quota (quota_key, window_start, used)
                SELECT * FROM unnest($1::varchar[], $2::timestamptz[], $3::int[])
                ON CONFLICT (quota_key, window_start) DO UPDATE SET used = intake_quota.used + EXCLUDED.used
                RETURNING quota_key, window_start, used""")
                .execute(Tuple.of(keys.toArray(String[]::new), starts.toArray(OffsetDateTime[]::new),
                        counts.toArray(Integer[]::new)))
                // A round that never answers would hold every later submission: it fails instead.
                .ifNoItem().after(ROUND_TIMEOUT).fail()
                .subscribe().with(rows -> {
                    try {
                        answered(round, increments, rows);
                    } finally {
                        nextRound();
                    }
                }, failure -> {
                    round.forEach(waiting -> tell(waiting, () -> waiting.outcome().fail(failure)));
                    nextRound();
                });
    }

    /** Decides a round's submissions from their counters' values after it. */
    private void answered(List<Waiting> round, Map<String, Integer> increments, RowSet<Row> rows) {
        // Each counter's value before this round; submissions take their places in arrival order.
        Map<String, Integer> used = new HashMap<>();
        for (Row row : rows) {
            String slot = slot(row.getString("quota_key"), row.getOffsetDateTime("window_start"));
            used.put(slot, row.getInteger("used") - increments.getOrDefault(slot, 0));
        }
        for (Waiting waiting : round) {
            decide(waiting, used);
        }
    }

    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(10);

    /** At most this many submissions share a round. */
    static final int MAX_ROUND = 500;

    private void decide(Waiting waiting, Map<String, Integer> used) {
        for (Window window : waiting.windows()) {
            int position = used.merge(slot(window), 1, Integer::sum);
            if (position > window.limit()) {
                meters.counter("gateway_limit_refusals_total", "limit", window.key().startsWith("ch:")
                        ? "channel" : "customer").increment();
                long retry = Math.max(1, Duration.between(waiting.now(), window.start().plus(window.length())).toSeconds() + 1);
                ProblemException refusal = tooMany("Over " + window.what() + "; nothing was submitted. Try again later.", retry);
                // The submission's other counters were counted too, as when one statement refused it.
                waiting.windows().stream().filter(w -> w != window).forEach(w -> used.merge(slot(w), 1, Integer::sum));
                tell(waiting, () -> waiting.outcome().fail(refusal));
                return;
            }
        }
        tell(waiting, () -> waiting.outcome().complete(null));
    }

    /** One counter: a key in one window, however the window's start was written. */
    private static String slot(String key, OffsetDateTime start) {
        return key + "@" + start.toInstant().toEpochMilli();
    }

    private static String slot(Window window) {
        return slot(window.key(), window.start());
    }

    /** The outcome reaches the submission on its own Vert.x context, where its request goes on. */
    private static void tell(Waiting waiting, Runnable outcome) {
        if (waiting.context() != null && waiting.context() != Vertx.currentContext()) {
            waiting.context().runOnContext(ignored -> outcome.run());
        } else {
            outcome.run();
        }
    }

    /**
     * Takes a stream slot for the customer, or fails with 429 when they already hold as many
     * streams as allowed (on any replica). Release it when the stream ends.
     */
    public Uni<UUID> openStream(String customerId) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
                .execute(Tuple.of(customerId))
                .chain(() -> tx.preparedQuery("""
                        INSERT INTO open_stream (id, customer_id, seen_at)
                        SELECT $1::uuid, $2::varchar, now() WHERE (SELECT count(*) FROM open_stream
                            WHERE customer_id = $2::varchar AND seen_at > now() - make_interval(secs => $3::float8)) < $4::int
                        RETURNING id""")
                        .execute(Tuple.of(id, customerId, (double) STREAM_STALE.toSeconds(), streamsPerCustomer))))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        meters.counter("gateway_limit_refusals_total", "limit", "streams").increment();
                        throw tooMany("At most " + streamsPerCustomer + " progress streams may be open at once; "
                                + "close one (each stream already shows every request it follows).", 15);
                    }
                    local.add(id);
                    return id;
                });
    }

    public void closeStream(UUID id) {
        local.remove(id);
        pool.preparedQuery("DELETE FROM open_stream WHERE id = $1").execute(Tuple.of(id)).subscribe()
                .with(ignored -> { }, e -> Log.debugf("Stream slot %s not released now (%s); it lapses in a minute", id, e));
    }

    /** Renews this replica's streams and removes what has lapsed; every replica does it, each its own rows. */
    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> upkeep() {
        Uni<?> renew = local.isEmpty() ? Uni.createFrom().voidItem()
                : pool.preparedQuery("UPDATE open_stream SET seen_at = now() WHERE id = ANY($1)")
                        .execute(Tuple.of(local.toArray(UUID[]::new)));
        return renew.chain(() -> pool.preparedQuery("DELETE FROM open_stream WHERE seen_at < now() - interval '5 minutes'")
                        .execute())
                .chain(() -> pool.preparedQuery("DELETE FROM intake_quota WHERE window_start < now() - interval '2 days'")
                        .execute())
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Limit upkeep failed, trying again in 15 s: %s", e.toString());
                    return null;
                });
    }

    private static ProblemException tooMany(String detail, long retryAfterSeconds) {
        return new ProblemException(new Problem(ProblemTypes.TOO_MANY_REQUESTS, "Too many requests", 429, detail)
                .with("retryAfterSeconds", retryAfterSeconds));
    }
}
