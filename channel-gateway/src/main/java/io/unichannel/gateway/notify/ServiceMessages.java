package io.unichannel.gateway.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.wechat.WeChatApi;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tells a customer a short service message where they want to hear it (a request's result, an
 * outage in their area and its end): on the customer's preferred channel (their own setting, else
 * their record's), else the first channel that reaches them of APP push, WeChat and SMS; muted
 * channels are skipped, and a channel that refuses (the follower left, every installation is gone,
 * the number is refused) hands over to the next. Texts wait out the customer's quiet hours (their
 * own, else the operator's); every send keeps to its provider's rate across replicas; the delivery
 * ledger keeps a message told once per channel however often it is asked for.
 */
@ApplicationScoped
public class ServiceMessages {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Outcomes after which the customer has been (or will be, after quiet hours) told. */
    private static final Set<String> TOLD = Set.of("sent", "held", "delivered", "undelivered");

    /**
     * One message, as each channel carries it.
     *
     * @param key        what it is about, unique per message ({@code resolved:T-1}, {@code outage:OUT-1:opened:C-1}); the
     *                   ledger's ids derive from it
     * @param purpose    the ledger's and metrics' name for it (resolution, outage)
     * @param wechatData the template message's fields
     * @param smsText    the text, with the operator's signature
     */
    public record Message(String key, String customerId, String purpose, String pushTitle, String pushBody, String link,
            Map<String, String> pushData, String wechatTemplate, String wechatUrl, Map<String, Map<String, String>> wechatData,
            String smsText) {
    }

    private final ProgressRepository progress;
    private final DeliveryLedger ledger;
    private final MeterRegistry metrics;
    private final Preferences preferences;
    private final CustomerSends sends;
    private final QuietHours quiet;
    private final HeldNotices held;
    private final Clock clock;
    private final SealedSecrets seal;

    public ServiceMessages(ProgressRepository progress, DeliveryLedger ledger, MeterRegistry metrics, Preferences preferences,
            CustomerSends sends, QuietHours quiet, HeldNotices held, Clock clock,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.progress = progress;
        this.ledger = ledger;
        this.metrics = metrics;
        this.preferences = preferences;
        this.sends = sends;
        this.quiet = quiet;
        this.held = held;
        this.clock = clock;
        this.seal = new SealedSecrets(sealKey);
    }

    /**
     * Tells the message on the first channel that takes it. When none did and a provider (or
     * identity-service, which knows the number) was away, throws {@link CustomerSends.Unavailable}:
     * the caller parks the message and tries again; when every channel answered and none reaches the
     * customer, that is recorded.
     */
    public void tell(Message m) throws InterruptedException {
        String canonical = progress.canonical(m.customerId()).await().atMost(WAIT);
        List<String> ids = progress.idsOf(canonical).await().atMost(WAIT);
        Preferences.Settings settings = preferences.of(canonical).await().atMost(WAIT);
        CustomerSends.Unavailable away = null;
        // The record (preferred channel, sealed number) is asked of identity-service only where texts can be sent.
        Optional<ChannelCustomers.CustomerRecord> contact = Optional.empty();
        if (sends.smsConfigured()) {
            try {
                contact = sends.contact(m.customerId());
            } catch (CustomerSends.Unavailable e) {
                away = e;
            }
        }
        for (String channel : settings.channelsFor(contact.map(ChannelCustomers.CustomerRecord::preferredChannel).orElse(null))) {
            Optional<String> outcome;
            try {
                outcome = switch (channel) {
                    case "app" -> onApp(ids, m);
                    case "wechat" -> onWeChat(ids, m);
                    default -> contact.map(ChannelCustomers.CustomerRecord::msisdnSealed).isPresent()
                            ? Optional.of(byText(contact.get().msisdnSealed(), m, settings)) : Optional.empty();
                };
            } catch (CustomerSends.Unavailable e) {
                away = e;
                continue;
            }
            if (outcome.isPresent() && TOLD.contains(outcome.get())) {
                return;
            }
        }
        if (away != null) {
            throw away;
        }
        toldNowhere(m);
    }

    /** Records that no channel reaches the customer (once). */
    public void toldNowhere(Message m) {
        String noneId = m.key() + ":none";
        if (noneId.length() <= 64 && ledger.outcome(noneId).isEmpty()) {
            ledger.record(noneId, "unreachable", m.customerId(), "none", m.purpose());
            metrics.counter("gateway.notifications", "outcome", "unreachable", "channel", "none").increment();
            Log.infof("%s reached the customer on no channel", m.key());
        }
    }

    /** Push to every installation of the customer's; empty when they have none (or no provider is set up). */
    private Optional<String> onApp(List<String> ids, Message m) throws InterruptedException {
        if (!sends.pushConfigured()) {
            return Optional.empty();
        }
        String notificationId = notificationId(m.key() + ":app");
        Optional<String> before = ledger.outcome(notificationId);
        if (before.isPresent()) {
            return before;
        }
        Optional<String> pushed = sends.push(ids, m.pushTitle(), m.pushBody(), m.link(), m.pushData());
        if (pushed.isEmpty()) {
            return pushed;
        }
        String outcome = pushed.get();
        ledger.record(notificationId, outcome, m.customerId(), "app", m.purpose());
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "app").increment();
        return Optional.of(outcome);
    }

    /** A template message to every WeChat follower bound to the customer; "sent" when any got it. */
    private Optional<String> onWeChat(List<String> ids, Message m) throws InterruptedException {
        Optional<String> best = Optional.empty();
        for (String openId : sends.followers(ids)) {
            String outcome = toFollower(openId, m);
            if (best.isEmpty() || TOLD.contains(outcome)) {
                best = Optional.of(outcome);
            }
        }
        return best;
    }

    private String toFollower(String openId, Message m) throws InterruptedException {
        String notificationId = notificationId(m.key() + ":wechat:" + openId);
        Optional<String> before = ledger.outcome(notificationId);
        if (before.isPresent()) {
            return before.get();
        }
        String outcome = sends.template(new WeChatApi.TemplateMessage(openId, m.wechatTemplate(), m.wechatUrl(), m.wechatData()));
        ledger.record(notificationId, outcome, m.customerId(), "wechat", m.purpose());
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "wechat").increment();
        Log.infof("%s told to WeChat follower %s: %s", m.key(), Masking.identifier(openId), outcome);
        return outcome;
    }

    /** A text to the customer's number, held until their quiet hours end. */
    private String byText(String toSealed, Message m, Preferences.Settings settings) throws InterruptedException {
        String notificationId = notificationId(m.key() + ":sms");
        Optional<String> before = ledger.outcome(notificationId);
        if (before.isPresent()) {
            return before.get();
        }
        Instant now = clock.instant();
        Optional<Instant> quietUntil = settings.hasOwnQuietHours()
                ? quiet.endIfQuiet(now, settings.quietStart(), settings.quietEnd()) : quiet.endIfQuiet(now);
        if (quietUntil.isPresent()) {
            held.hold(notificationId, toSealed, m.smsText(), quietUntil.get(), m.customerId(), m.purpose());
            metrics.counter("gateway.notifications", "outcome", "held", "channel", "sms").increment();
            return "held";
        }
        String outcome = sends.text(seal.open(toSealed), m.smsText(), notificationId, m.customerId(), m.purpose());
        ledger.record(notificationId, outcome, m.customerId(), "sms", m.purpose());
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "sms").increment();
        return outcome;
    }

    /** Notification ids fit the ledger's 64 characters: a longer one becomes a stable name-based UUID under its first part. */
    static String notificationId(String id) {
        if (id.length() <= 64) {
            return id;
        }
        int colon = id.indexOf(':');
        String prefix = colon > 0 && colon < 20 ? id.substring(0, colon) : "notice";
        return prefix + ":" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
}
