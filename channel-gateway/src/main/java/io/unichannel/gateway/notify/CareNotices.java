package io.unichannel.gateway.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.ConsumerTracing;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.wechat.WeChatApi;
import io.unichannel.gateway.wechat.WeChatConfig;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Renewal reminders of proactive care (template {@code care-renewal} from ticket-service): each is
 * kept in care_notice when it arrives, then sent by a timer that any replica may run (rows claimed
 * with SKIP LOCKED, so each goes once). A reminder goes on the customer's preferred channel (their
 * own setting, else the operator's record) or, if that does not reach them, on one fallback; never
 * during quiet hours (theirs, else the operator's: it waits for them to end), never to someone who
 * opted out of marketing, and not past the per-person contact budget that survey invitations
 * count against too. The kept row is what the customer accepts the offer against.
 */
@ApplicationScoped
public class CareNotices {

    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;
    @jakarta.inject.Inject
    ConsumerTracing consumerTracing;

    public static final String CHANNEL = "care-notices";
    public static final String TEMPLATE = "care-renewal";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> TOLD = Set.of("sent", "delivered", "undelivered");

    private final ObjectMapper json;
    private final PgPool pool;
    private final DeliveryLedger ledger;
    private final MeterRegistry metrics;
    private final ProgressRepository progress;
    private final Preferences preferences;
    private final CustomerSends sends;
    private final WeChatConfig wechatConfig;
    private final io.unichannel.common.events.DeadLetters deadLetters;
    private final QuietHours quiet;
    private final Clock clock;
    private final SealedSecrets seal;
    private final int budget;
    private final Duration budgetPeriod;
    /** When a reminder is next due: the timer looks in the table only then, or once a minute for another replica's. */
    private final io.unichannel.common.timing.DueWork due;

    public CareNotices(ObjectMapper json, PgPool pool, DeliveryLedger ledger, MeterRegistry metrics,
            ProgressRepository progress, Preferences preferences, CustomerSends sends, WeChatConfig wechatConfig,
            io.unichannel.common.events.DeadLetters deadLetters, QuietHours quiet, Clock clock, @ConfigProperty(name = "platform.notification-seal-key") String sealKey,
            @ConfigProperty(name = "gateway.care.contact-budget.max") int budget,
            @ConfigProperty(name = "gateway.care.contact-budget.period") Duration budgetPeriod) {
        this.json = json;
        this.pool = pool;
        this.ledger = ledger;
        this.metrics = metrics;
        this.progress = progress;
        this.preferences = preferences;
        this.sends = sends;
        this.wechatConfig = wechatConfig;
        this.deadLetters = deadLetters;
        this.quiet = quiet;
        this.clock = clock;
        this.due = new io.unichannel.common.timing.DueWork(java.time.Duration.ofMinutes(1), clock);
        this.seal = new SealedSecrets(sealKey);
        this.budget = budget;
        this.budgetPeriod = budgetPeriod;
    }

    /** Keeps one renewal reminder; any other notification is not this consumer's, and a bad one is counted and skipped. */
    @Incoming(CHANNEL)
    @Blocking
    public void onNotification(ConsumerRecord<String, String> record) throws InterruptedException {
        consumerMetrics.consumed(record);
        try (ConsumerTracing.Traced traced = consumerTracing.process(record)) {
            Tuple row;
            JsonNode data;
            try {
                CloudEvent event = CloudEventRecords.fromOwner(record);
                data = json.readTree(event.data());
                if (!EventTypes.NOTIFICATION_REQUESTED.equals(event.type()) || !TEMPLATE.equals(data.path("template").asText())) {
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                return; // not a notification at all: NotificationDispatcher letters it
            }
            try {
                row = read(data);
            } catch (RuntimeException e) {
                deadLetters.send(record, "not a deliverable care reminder: " + e.getMessage()).await().atMost(WAIT);
                metrics.counter("gateway.notifications", "outcome", "invalid", "channel", "care").increment();
                return;
            }
            // A database outage is waited out: a reminder is never dropped for it.
            CustomerSends.untilDone("database", () -> pool.preparedQuery("""
                    INSERT INTO care_notice (offer_id, notification_id, customer_id, channel, offered_package, offered_package_name,
                        message, expires_at, due_at, state)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'waiting') ON CONFLICT (offer_id) DO NOTHING""")
                    .execute(row).await().atMost(WAIT));
            due.wake(clock.instant());
        }
    }

    private Tuple read(JsonNode data) {
        JsonNode p = data.path("parameters");
        String offerId = p.path("offerId").asText("");
        String customerId = data.path("customerId").asText("");
        String notificationId = data.path("notificationId").asText("");
        String offered = p.path("offeredPackage").asText(null);
        String offeredName = p.path("offeredPackageName").asText(null);
        String message = p.path("message").asText("");
        String channel = data.path("channel").asText("app");
        if (!offerId.matches("[0-9a-f-]{36}") || !customerId.matches("[A-Za-z0-9._:-]{1,64}")
                || !Text.isValidRequired(notificationId, 64, false) || !data.hasNonNull("expiresAt")
                || (offered != null && !offered.matches("[A-Za-z0-9._-]{1,64}"))
                || (offeredName != null && !Text.isValidRequired(offeredName, 128, false))
                || !Text.isValidRequired(message, 1000, false) || !Preferences.CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("a care reminder needs its offer, customer, notification id, message and expiry");
        }
        return Tuple.from(new Object[] {offerId, notificationId, customerId, channel, offered, offeredName, message,
                OffsetDateTime.parse(data.get("expiresAt").asText()), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)});
    }

    /** Sends the reminders that may go now; one that falls in quiet hours waits for them to end. */
    @Scheduled(every = "${gateway.care.every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendDue() throws InterruptedException {
        if (!due.startLook()) {
            return;
        }
        Instant now = clock.instant();
        List<Row> claimed = new java.util.ArrayList<>();
        try {
            pool.preparedQuery("""
                    UPDATE care_notice SET lease_until = now() + interval '1 minute' WHERE offer_id IN (
                        SELECT offer_id FROM care_notice WHERE state = 'waiting' AND due_at <= $1
                          AND (lease_until IS NULL OR lease_until < now()) ORDER BY due_at LIMIT 20 FOR UPDATE SKIP LOCKED)
                    RETURNING *""").execute(Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))).await().atMost(WAIT)
                    .forEach(claimed::add);
        } catch (RuntimeException e) {
            Log.warnf("Care reminders: claiming due ones failed (%s); the next round tries again", e.getMessage());
            due.again();
            return;
        }
        for (Row row : claimed) {
            String outcome;
            try {
                outcome = send(row, now);
            } catch (RuntimeException e) {
                Log.warnf("Care reminder %s not sent yet (%s); its claim lapses and it is tried again", row.getString("offer_id"),
                        e.getClass().getSimpleName());
                continue;
            }
            metrics.counter("gateway.notifications", "outcome", outcome, "channel", "care").increment();
        }
        lookNext(claimed.size() == 20);
    }

    /**
     * Tells the timer when it has work next: at once when this round left some, else at the
     * earliest waiting reminder (one held for quiet hours, or one whose claim lapses after a failure).
     */
    private void lookNext(boolean moreDue) {
        if (moreDue) {
            due.again();
            return;
        }
        try {
            Row next = pool.preparedQuery("""
                    SELECT min(greatest(due_at, coalesce(lease_until, due_at))) AS next FROM care_notice WHERE state = 'waiting'""")
                    .execute().await().atMost(WAIT).iterator().next();
            due.looked(next.getOffsetDateTime("next"));
        } catch (RuntimeException e) {
            due.again();
        }
    }

    private String send(Row row, Instant now) throws InterruptedException {
        String offerId = row.getString("offer_id");
        String customerId = row.getString("customer_id");
        String notificationId = row.getString("notification_id");
        if (!row.getOffsetDateTime("expires_at").toInstant().isAfter(now)) {
            return settle(offerId, "expired", null);
        }
        String canonical = progress.canonical(customerId).await().atMost(WAIT);
        Preferences.Settings settings = preferences.of(canonical).await().atMost(WAIT);
        // identity-service not knowing the id means nobody to text; its outage leaves the reminder waiting.
        Optional<ChannelCustomers.CustomerRecord> contact = sends.contact(customerId);
        Optional<String> msisdn = contact.map(ChannelCustomers.CustomerRecord::msisdnSealed).map(seal::open);
        if (preferences.optedOut(canonical, msisdn, "marketing").await().atMost(WAIT)) {
            ledger.record(notificationId, "opted-out", customerId, "none", "care");
            return settle(offerId, "opted-out", null);
        }
        Optional<Instant> quietUntil = settings.hasOwnQuietHours()
                ? quiet.endIfQuiet(now, settings.quietStart(), settings.quietEnd()) : quiet.endIfQuiet(now);
        if (quietUntil.isPresent()) {
            pool.preparedQuery("UPDATE care_notice SET due_at = $2, lease_until = NULL WHERE offer_id = $1")
                    .execute(Tuple.of(offerId, OffsetDateTime.ofInstant(quietUntil.get(), ZoneOffset.UTC))).await().atMost(WAIT);
            return "held";
        }
        List<String> ids = progress.idsOf(canonical).await().atMost(WAIT);
        long recent = pool.preparedQuery("""
                SELECT count(*) AS n FROM notification_delivery WHERE customer_id = ANY($1) AND purpose IN ('survey', 'care')
                  AND outcome IN ('sent', 'delivered', 'undelivered', 'held') AND delivered_at > $2""")
                .execute(Tuple.of(ids.toArray(new String[0]), OffsetDateTime.ofInstant(now.minus(budgetPeriod), ZoneOffset.UTC)))
                .await().atMost(WAIT).iterator().next().getLong("n");
        if (recent >= budget) {
            ledger.record(notificationId, "over-budget", customerId, "none", "care");
            return settle(offerId, "over-budget", null);
        }
        String preferred = settings.preferredChannel() != null ? null
                : contact.map(ChannelCustomers.CustomerRecord::preferredChannel).orElse(row.getString("channel"));
        // The preferred channel and one fallback: a reminder is not worth more than two tries.
        List<String> channels = settings.channelsFor(preferred).stream().limit(2).toList();
        CustomerSends.Unavailable away = null;
        for (String channel : channels) {
            Optional<String> outcome;
            try {
                outcome = switch (channel) {
                    case "app" -> sends.pushConfigured() ? sends.push(ids, "合约即将到期", message(row), wechatConfig.offerUrl() + offerId,
                            Map.of("offerId", offerId, "link", wechatConfig.offerUrl() + offerId)) : Optional.empty();
                    case "wechat" -> onWeChat(ids, row);
                    case "sms" -> msisdn.isPresent() ? byText(msisdn.get(), row) : Optional.empty();
                    default -> Optional.empty();
                };
            } catch (CustomerSends.Unavailable e) {
                away = e;
                continue;
            }
            if (outcome.isPresent() && TOLD.contains(outcome.get())) {
                ledger.record(notificationId, outcome.get(), customerId, channel, "care");
                Log.infof("Care reminder %s sent on %s", offerId, channel);
                return settle(offerId, "sent", channel);
            }
        }
        if (away != null) {
            throw away; // stays waiting: its claim lapses and a later round tries again
        }
        ledger.record(notificationId, "unreachable", customerId, "none", "care");
        return settle(offerId, "unreachable", null);
    }

    private String settle(String offerId, String state, String channel) {
        pool.preparedQuery("UPDATE care_notice SET state = $2, sent_channel = $3, lease_until = NULL WHERE offer_id = $1")
                .execute(Tuple.of(offerId, state, channel)).await().atMost(WAIT);
        return state;
    }

    private static String message(Row row) {
        String offer = row.getString("offered_package_name");
        return row.getString("message") + (offer == null ? "" : " 点击接受：" + offer);
    }

    private Optional<String> onWeChat(List<String> ids, Row row) throws InterruptedException {
        Optional<String> best = Optional.empty();
        for (String openId : sends.followers(ids)) {
            String outcome = sends.template(new WeChatApi.TemplateMessage(openId, wechatConfig.careTemplate(),
                    wechatConfig.offerUrl() + row.getString("offer_id"), Map.of("first", Map.of("value", "您的合约即将到期"),
                            "keyword1", Map.of("value", message(row)), "remark", Map.of("value", "点击查看并接受续约优惠。"))));
            Log.infof("Care reminder %s to WeChat follower %s: %s", row.getString("offer_id"), Masking.identifier(openId), outcome);
            if (best.isEmpty() || "sent".equals(outcome)) {
                best = Optional.of(outcome);
            }
        }
        return best;
    }

    private Optional<String> byText(String to, Row row) throws InterruptedException {
        if (!sends.smsConfigured()) {
            return Optional.empty();
        }
        String text = "【统一服务】" + message(row) + " " + wechatConfig.offerUrl() + row.getString("offer_id") + " 回复TD退订";
        return Optional.of(sends.text(to, text, row.getString("notification_id"), row.getString("customer_id"), "care"));
    }
}
