package io.unichannel.gateway.notify;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.unichannel.common.timing.DueWork;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Notices that no channel could take because every provider that might reach the customer was
 * unavailable (not refused). Their consumer does not wait the outage out (that would hold every
 * later notice, for every customer and channel, behind one provider): it parks the notice here, in
 * PostgreSQL, and moves on. Parked notices are tried again when due, with pauses growing from
 * {@code gateway.notices.park.first-pause} to {@code gateway.notices.park.longest-pause}, by
 * whichever replica claims them first (SKIP LOCKED; a claim lapses after two minutes if its replica
 * dies). A retry runs the notice's whole delivery again, in the customer's channel order, so a
 * notice goes out on the first channel that is back. One still parked after
 * {@code gateway.notices.park.give-up-after} is recorded as unreachable.
 *
 * <p>The timer looks in the database only when a parked notice is due (or once a minute, for
 * notices another replica parked and then died): at rest it costs a comparison a second.
 */
@ApplicationScoped
public class ParkedNotices {

    /** A kind of notice that can be parked and tried again from what it parked. */
    public interface Purpose {
        /** The name a parked notice is filed under. */
        String purpose();

        /**
         * Tries the notice again: returns when it is settled (told, refused, expired, no longer
         * wanted); throws {@link CustomerSends.Unavailable} when it must stay parked.
         */
        void retry(String payload) throws InterruptedException;

        /** The notice stayed parked too long: record that it reached the customer on no channel. */
        void unreachable(String payload);
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final PgPool pool;
    private final Instance<Purpose> purposes;
    private final MeterRegistry metrics;
    private final Duration firstPause;
    private final Duration longestPause;
    private final Duration giveUpAfter;
    private final DueWork due;

    public ParkedNotices(PgPool pool, Instance<Purpose> purposes, MeterRegistry metrics,
            @ConfigProperty(name = "gateway.notices.park.first-pause", defaultValue = "30s") Duration firstPause,
            @ConfigProperty(name = "gateway.notices.park.longest-pause", defaultValue = "15m") Duration longestPause,
            @ConfigProperty(name = "gateway.notices.park.give-up-after", defaultValue = "24h") Duration giveUpAfter) {
        this.pool = pool;
        this.purposes = purposes;
        this.metrics = metrics;
        this.firstPause = firstPause;
        this.longestPause = longestPause;
        this.giveUpAfter = giveUpAfter;
        this.due = new DueWork(Duration.ofMinutes(1));
    }

    /**
     * Parks a notice (or, parked already, moves its next try on by a longer pause). The payload is
     * what its purpose needs to try it again; the reason (which providers were away) is for operators.
     */
    public void park(String noticeId, String purpose, String payload, String customerId, String reason) {
        Row row = pool.preparedQuery("""
                INSERT INTO parked_notice (notice_id, purpose, payload, customer_id, reason, due_at)
                VALUES ($1, $2, $3, $4, left($5, 200), now() + make_interval(secs => $6))
                ON CONFLICT (notice_id) DO UPDATE SET attempts = parked_notice.attempts + 1, reason = EXCLUDED.reason,
                    claimed_until = NULL,
                    due_at = now() + make_interval(secs => least($7, $6 * power(2, parked_notice.attempts)))
                RETURNING due_at, attempts""")
                .execute(Tuple.from(new Object[] {noticeId, purpose, payload, customerId, reason,
                        (double) firstPause.toSeconds(), (double) longestPause.toSeconds()}))
                .await().atMost(WAIT).iterator().next();
        due.wake(row.getOffsetDateTime("due_at"));
        metrics.counter("gateway.notifications", "outcome", "parked", "channel", purpose).increment();
        Log.infof("Notice %s parked (try %d, next at %s): %s", noticeId, row.getInteger("attempts"),
                row.getOffsetDateTime("due_at"), reason);
    }

    /** Tries the parked notices that are due; each settles, parks again for longer, or gives up. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tryDue() throws InterruptedException {
        if (!due.startLook()) {
            return;
        }
        RowSet<Row> claimed;
        try {
            claimed = pool.preparedQuery("""
                    UPDATE parked_notice SET claimed_until = now() + interval '2 minutes'
                    WHERE notice_id IN (SELECT notice_id FROM parked_notice
                        WHERE due_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                        ORDER BY due_at LIMIT 20 FOR UPDATE SKIP LOCKED)
                    RETURNING notice_id, purpose, payload, customer_id, parked_at""").execute().await().atMost(WAIT);
        } catch (RuntimeException e) {
            Log.warnf("Parked notices: claiming due ones failed (%s); trying again", e.getClass().getSimpleName());
            due.again();
            return;
        }
        for (Row row : claimed) {
            retry(row);
        }
        if (claimed.size() == 20) {
            due.again();
            return;
        }
        try {
            due.looked(pool.preparedQuery("SELECT min(due_at) AS next FROM parked_notice").execute().await().atMost(WAIT)
                    .iterator().next().getOffsetDateTime("next"));
        } catch (RuntimeException e) {
            due.again();
        }
    }

    private void retry(Row row) throws InterruptedException {
        String noticeId = row.getString("notice_id");
        String payload = row.getString("payload");
        Purpose purpose = purposes.stream().filter(p -> p.purpose().equals(row.getString("purpose"))).findFirst().orElse(null);
        try {
            if (purpose == null) {
                Log.errorf("Parked notice %s has a purpose (%s) no part of the gateway handles; dropped", noticeId,
                        row.getString("purpose"));
            } else {
                purpose.retry(payload);
            }
            settled(noticeId);
        } catch (CustomerSends.Unavailable e) {
            if (row.getOffsetDateTime("parked_at").plus(giveUpAfter).isBefore(OffsetDateTime.now())) {
                purpose.unreachable(payload);
                settled(noticeId);
                Log.warnf("Notice %s given up after %s parked: %s", noticeId, giveUpAfter, e.getMessage());
            } else {
                park(noticeId, purpose.purpose(), payload, row.getString("customer_id"), e.getMessage());
            }
        } catch (RuntimeException e) {
            // The database away: the claim lapses and a later look tries again.
            Log.warnf("Parked notice %s not tried yet (%s)", noticeId, e.getClass().getSimpleName());
            due.again();
        }
    }

    private void settled(String noticeId) {
        pool.preparedQuery("DELETE FROM parked_notice WHERE notice_id = $1").execute(Tuple.of(noticeId)).await().atMost(WAIT);
    }
}
