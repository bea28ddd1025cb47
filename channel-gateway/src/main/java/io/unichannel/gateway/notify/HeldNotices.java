package io.unichannel.gateway.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Text messages held for the end of quiet hours, in PostgreSQL so they survive restarts and go
 * out once across replicas: each replica claims due messages with SKIP LOCKED (a claim lapses
 * after a minute if its replica dies before sending).
 */
@ApplicationScoped
public class HeldNotices {

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

    private final PgPool pool;
    private final SmsSender sms;
    private final SendRates rates;
    private final DeliveryLedger ledger;
    private final SealedSecrets seal;
    private final Clock clock;
    /** When a held text is next due: the timer looks in the table only then, or once a minute for another replica's. */
    private final io.unichannel.common.timing.DueWork due;

    public HeldNotices(PgPool pool, SmsSender sms, SendRates rates, DeliveryLedger ledger, Clock clock,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.pool = pool;
        this.sms = sms;
        this.rates = rates;
        this.ledger = ledger;
        this.clock = clock;
        this.due = new io.unichannel.common.timing.DueWork(java.time.Duration.ofMinutes(1), clock);
        this.seal = new SealedSecrets(sealKey);
    }

    /** Holds a text until {@code due}; holding the same notice twice keeps one. */
    public void hold(String notificationId, String toSealed, String text, Instant due, String customerId, String purpose) {
        pool.preparedQuery("""
                INSERT INTO held_notification (notification_id, channel, to_sealed, text, due_at)
                VALUES ($1, 'sms', $2, $3, $4) ON CONFLICT (notification_id) DO NOTHING""")
                .execute(Tuple.of(notificationId, toSealed, text, OffsetDateTime.ofInstant(due, ZoneOffset.UTC)))
                .await().atMost(WAIT);
        this.due.wake(due);
        ledger.record(notificationId, "held", customerId, "sms", purpose);
    }

    /** Sends what is due by the gateway's clock; what fails stays held for the next round. */
    @Scheduled(every = "${gateway.held-notices.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDue() {
        if (!sms.configured() || !due.startLook()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var claimed = pool.preparedQuery("""
                UPDATE held_notification SET claimed_until = $1::timestamptz + interval '1 minute'
                WHERE notification_id IN (SELECT notification_id FROM held_notification
                    WHERE due_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                    ORDER BY due_at LIMIT 50 FOR UPDATE SKIP LOCKED)
                RETURNING notification_id, to_sealed, text""")
                .execute(Tuple.of(now)).onFailure().recoverWithNull().await().atMost(WAIT);
        if (claimed == null) {
            due.again();
            return;
        }
        for (Row row : claimed) {
            String id = row.getString("notification_id");
            String to = seal.open(row.getString("to_sealed"));
            try {
                rates.take("sms");
                sms.send(to, row.getString("text"), id);
                pool.preparedQuery("DELETE FROM held_notification WHERE notification_id = $1").execute(Tuple.of(id))
                        .await().atMost(WAIT);
                ledger.update(id, "sent");
                Log.infof("Held notice %s sent to %s after quiet hours", id, Masking.msisdn(to));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("Held notice %s not sent yet (%s); trying again later", id, e.getClass().getSimpleName());
            }
        }
        if (claimed.size() == 50) {
            due.again();
            return;
        }
        // The earliest held text, or a claim that lapses (a send that failed is tried again then).
        try {
            due.looked(pool.preparedQuery("""
                    SELECT min(greatest(due_at, coalesce(claimed_until, due_at))) AS next FROM held_notification""")
                    .execute().await().atMost(WAIT).iterator().next().getOffsetDateTime("next"));
        } catch (RuntimeException e) {
            due.again();
        }
    }
}
