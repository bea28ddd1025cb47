package io.unichannel.gateway.limits;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
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

    /** Counts one submission; fails with a 429 problem when the customer or the channel is over its limit. */
    public Uni<Void> admitSubmission(String customerId, String channel) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Window> windows = List.of(
                new Window("c:" + customerId + ":m", now.truncatedTo(ChronoUnit.MINUTES), Duration.ofMinutes(1),
                        perCustomerPerMinute, perCustomerPerMinute + " requests a minute"),
                new Window("c:" + customerId + ":d", now.truncatedTo(ChronoUnit.DAYS), Duration.ofDays(1),
                        perCustomerPerDay, perCustomerPerDay + " requests a day"),
                new Window("ch:" + channel + ":s", now.truncatedTo(ChronoUnit.SECONDS), Duration.ofSeconds(1),
                        perChannelPerSecond, "the channel's " + perChannelPerSecond + " requests a second"));
        return pool.preparedQuery("""
                INSERT INTO intake_quota (quota_key, window_start, used) VALUES ($1, $2, 1), ($3, $4, 1), ($5, $6, 1)
                ON CONFLICT (quota_key, window_start) DO UPDATE SET used = intake_quota.used + 1
                RETURNING quota_key, used""")
                .execute(Tuple.from(List.of(windows.get(0).key(), windows.get(0).start(), windows.get(1).key(),
                        windows.get(1).start(), windows.get(2).key(), windows.get(2).start())))
                .invoke(rows -> {
                    for (Row row : rows) {
                        Window window = windows.stream().filter(w -> w.key().equals(row.getString("quota_key")))
                                .findFirst().orElseThrow();
                        if (row.getInteger("used") > window.limit()) {
                            meters.counter("gateway_limit_refusals_total", "limit", window.key().startsWith("ch:")
                                    ? "channel" : "customer").increment();
                            long retry = Math.max(1, Duration.between(now, window.start().plus(window.length())).toSeconds() + 1);
                            throw tooMany("Over " + window.what() + "; nothing was submitted. Try again later.", retry);
                        }
                    }
                })
                .replaceWithVoid();
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
