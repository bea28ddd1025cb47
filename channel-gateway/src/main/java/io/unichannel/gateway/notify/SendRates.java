package io.unichannel.gateway.notify;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The send rates each provider allows (messages a second per channel), held across every replica:
 * each send takes a slot in the current second's window, counted in PostgreSQL (the table the
 * intake limits use); when the window is full the sender waits for the next one. Nothing is
 * dropped, it only goes out a little later. Blocking; for the senders' worker threads.
 */
@ApplicationScoped
public class SendRates {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final PgPool pool;
    private final MeterRegistry metrics;
    private final Map<String, Integer> perSecond;

    public SendRates(PgPool pool, MeterRegistry metrics, @ConfigProperty(name = "gateway.send-rate.sms") int sms,
            @ConfigProperty(name = "gateway.send-rate.wechat") int wechat, @ConfigProperty(name = "gateway.send-rate.app") int app) {
        this.pool = pool;
        this.metrics = metrics;
        this.perSecond = Map.of("sms", sms, "wechat", wechat, "app", app);
    }

    /** Waits until the channel may send one more message now, and counts it; answers the second it counted in. */
    public OffsetDateTime take(String channel) throws InterruptedException {
        int limit = perSecond.getOrDefault(channel, Integer.MAX_VALUE);
        while (true) {
            OffsetDateTime window = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
            boolean taken = pool.preparedQuery("""
                    INSERT INTO intake_quota (quota_key, window_start, used) VALUES ($1, $2, 1)
                    ON CONFLICT (quota_key, window_start) DO UPDATE SET used = intake_quota.used + 1
                        WHERE intake_quota.used < $3
                    RETURNING used""")
                    .execute(Tuple.of("send:" + channel, window, limit)).await().atMost(WAIT).rowCount() > 0;
            if (taken) {
                return window;
            }
            metrics.counter("gateway_send_rate_waits_total", "channel", channel).increment();
            long untilNext = Duration.between(OffsetDateTime.now(ZoneOffset.UTC), window.plusSeconds(1)).toMillis();
            Thread.sleep(Math.max(1, untilNext) + (long) (Math.random() * 20));
        }
    }
}
