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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.wechat.WeChatApi;
import io.unichannel.gateway.wechat.WeChatConfig;
import jakarta.enterprise.context.ApplicationScoped;
import io.unichannel.common.events.ConsumerTracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Tells a customer the result of their request where they want to hear it: when a ticket is
 * resolved, the notice goes to the customer's preferred channel (their own setting, else their
 * record's), else the first channel that reaches them of APP push, WeChat and SMS; muted channels
 * are skipped, and a channel that refuses (the follower left, every installation is gone, the
 * number is refused) hands over to the next. Texts wait out the customer's quiet hours (their own,
 * else the operator's); every send keeps to its provider's rate across replicas.
 *
 * <p>One consumer group across replicas; the delivery ledger keeps a redelivered event from
 * telling twice; an event that cannot be read goes to dead-letters. A provider that is away costs
 * only its own notices: the notice goes on to the customer's next channel, and when no channel took
 * it because providers (or identity-service) were away, it is parked and tried again later
 * ({@link ParkedNotices}), never a reason to skip a customer nor to hold the consumer.
 */
@ApplicationScoped
public class ResultNotices implements ParkedNotices.Purpose {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;
    @jakarta.inject.Inject
    ConsumerTracing consumerTracing;

    public static final String CHANNEL = "results";
    static final String PURPOSE = "resolution";
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Outcomes after which the customer has been (or will be, after quiet hours) told. */
    private static final Set<String> TOLD = Set.of("sent", "held", "delivered", "undelivered");

    private final ObjectMapper json;
    private final ProgressRepository progress;
    private final DeliveryLedger ledger;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final ChannelCustomers customers;
    private final Preferences preferences;
    private final ParkedNotices parked;
    private final CustomerSends sends;
    private final WeChatConfig wechatConfig;
    private final QuietHours quiet;
    private final HeldNotices held;
    private final Clock clock;
    private final SealedSecrets seal;
    private final String requestLink;

    public ResultNotices(ObjectMapper json, ProgressRepository progress, DeliveryLedger ledger,
            DeadLetters deadLetters, MeterRegistry metrics, ChannelCustomers customers, Preferences preferences,
            CustomerSends sends, ParkedNotices parked, WeChatConfig wechatConfig,
            QuietHours quiet, HeldNotices held, Clock clock,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey,
            @ConfigProperty(name = "gateway.push.request-link") String requestLink) {
        this.json = json;
        this.progress = progress;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.customers = customers;
        this.preferences = preferences;
        this.parked = parked;
        this.sends = sends;
        this.wechatConfig = wechatConfig;
        this.quiet = quiet;
        this.held = held;
        this.clock = clock;
        this.seal = new SealedSecrets(sealKey);
        this.requestLink = requestLink;
    }

    /** What is being told: the ticket, its request's tracking id, whose it is. */
    record Resolution(String ticketId, String requestId, String customerId) {
        String shortId() {
            return requestId.length() >= 8 ? requestId.substring(0, 8) : requestId;
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onTicketEvent(ConsumerRecord<String, String> record) throws InterruptedException {
        consumerMetrics.consumed(record);
        // In the trace of the change that asked for it: the send to the operator system joins it.
        try (ConsumerTracing.Traced traced = consumerTracing.process(record)) {
            onTicketEventInTrace(record);
        }
    }

    private void onTicketEventInTrace(ConsumerRecord<String, String> record) throws InterruptedException {
        Resolution resolution;
        try {
            CloudEvent event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.TROUBLE_TICKET_RESOLVED.equals(event.type())) {
                return;
            }
            resolution = read(json.readTree(event.data()));
        } catch (Exception e) {
            deadLetters.send(record, "not a readable resolution: " + e.getMessage()).await().atMost(WAIT);
            return;
        }
        // Every step is idempotent (the ledger), so after an outage of the gateway's own database the
        // whole notice is tried again; a provider's outage parks the notice instead of holding the
        // consumer (and every later notice) behind it.
        Duration pause = Duration.ofMillis(500);
        while (true) {
            try {
                try {
                    tell(resolution);
                } catch (CustomerSends.Unavailable e) {
                    parked.park(notificationId("resolved:" + resolution.ticketId()), PURPOSE, json.writeValueAsString(resolution),
                            resolution.customerId(), e.getMessage());
                }
                return;
            } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                Log.warnf("Resolution of %s not told yet (%s); next try in %s", resolution.ticketId(),
                        e.getClass().getSimpleName(), pause);
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public void retry(String payload) throws InterruptedException {
        tell(parked(payload));
    }

    @Override
    public void unreachable(String payload) {
        toldNowhere(parked(payload));
    }

    private Resolution parked(String payload) {
        try {
            return json.readValue(payload, Resolution.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a parked resolution that cannot be read", e);
        }
    }

    private static Resolution read(JsonNode body) {
        JsonNode ticket = body.at("/event/troubleTicket");
        String ticketId = ticket.path("id").asText("");
        String customerId = io.unichannel.common.events.TroubleTicketJson.partyId(ticket, "customer");
        if (!Text.isValidRequired(ticketId, 64, false) || !Text.isValidRequired(customerId, 64, false)) {
            throw new IllegalArgumentException("a resolved ticket needs its id and its customer");
        }
        return new Resolution(ticketId, body.path("correlationId").asText(""), customerId);
    }

    /**
     * Tells the resolution on the first channel that takes it. When none did and a provider (or
     * identity-service, which knows the number) was away, throws {@link CustomerSends.Unavailable}:
     * the notice is parked and tried again; when every channel answered and none reaches the
     * customer, that is recorded.
     */
    private void tell(Resolution r) throws InterruptedException {
        String canonical = progress.canonical(r.customerId()).await().atMost(WAIT);
        List<String> ids = progress.idsOf(canonical).await().atMost(WAIT);
        Preferences.Settings settings = preferences.of(canonical).await().atMost(WAIT);
        CustomerSends.Unavailable away = null;
        // The record (preferred channel, sealed number) is asked of identity-service only where texts can be sent.
        Optional<ChannelCustomers.CustomerRecord> contact = Optional.empty();
        if (sends.smsConfigured()) {
            try {
                contact = sends.contact(r.customerId());
            } catch (CustomerSends.Unavailable e) {
                away = e;
            }
        }
        for (String channel : settings.channelsFor(contact.map(ChannelCustomers.CustomerRecord::preferredChannel).orElse(null))) {
            Optional<String> outcome;
            try {
                outcome = switch (channel) {
                    case "app" -> tellOnApp(ids, r);
                    case "wechat" -> tellOnWeChat(ids, r);
                    default -> contact.map(ChannelCustomers.CustomerRecord::msisdnSealed).isPresent()
                            ? Optional.of(tellByText(contact.get().msisdnSealed(), r, settings)) : Optional.empty();
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
        toldNowhere(r);
    }

    private void toldNowhere(Resolution r) {
        String noneId = "resolved:" + r.ticketId() + ":none";
        if (noneId.length() <= 64 && ledger.outcome(noneId).isEmpty()) {
            ledger.record(noneId, "unreachable", r.customerId(), "none", "resolution");
            metrics.counter("gateway.notifications", "outcome", "unreachable", "channel", "none").increment();
            Log.infof("Resolution of %s reached the customer on no channel", r.ticketId());
        }
    }

    /** Push to every installation of the customer's; empty when they have none (or no provider is set up). */
    private Optional<String> tellOnApp(List<String> ids, Resolution r) throws InterruptedException {
        if (!sends.pushConfigured()) {
            return Optional.empty();
        }
        String notificationId = notificationId("resolved:" + r.ticketId() + ":app");
        Optional<String> before = ledger.outcome(notificationId);
        if (before.isPresent()) {
            return before;
        }
        Optional<String> pushed = sends.push(ids, "诉求已处理完毕", "您的诉求（编号" + r.shortId() + "）已处理完毕，点击查看结果。",
                requestLink + r.requestId(), Map.of("requestId", r.requestId(), "ticketId", r.ticketId(), "status", "resolved"));
        if (pushed.isEmpty()) {
            return pushed;
        }
        String outcome = pushed.get();
        ledger.record(notificationId, outcome, r.customerId(), "app", "resolution");
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "app").increment();
        return Optional.of(outcome);
    }

    /** A template message to every WeChat follower bound to the customer; "sent" when any got it. */
    private Optional<String> tellOnWeChat(List<String> ids, Resolution r) throws InterruptedException {
        Optional<String> best = Optional.empty();
        for (String openId : sends.followers(ids)) {
            String outcome = tellFollower(openId, r);
            if (best.isEmpty() || TOLD.contains(outcome)) {
                best = Optional.of(outcome);
            }
        }
        return best;
    }

    private String tellFollower(String openId, Resolution r) throws InterruptedException {
        String notificationId = notificationId("resolved:" + r.ticketId() + ":wechat:" + openId);
        Optional<String> before = ledger.outcome(notificationId);
        if (before.isPresent()) {
            return before.get();
        }
        WeChatApi.TemplateMessage message = new WeChatApi.TemplateMessage(openId, wechatConfig.resolvedTemplate(),
                wechatConfig.requestUrl() + r.requestId(), Map.of(
                        "first", Map.of("value", "您的诉求已处理完毕"),
                        "keyword1", Map.of("value", r.shortId()),
                        "keyword2", Map.of("value", "已解决"),
                        "remark", Map.of("value", "如仍有问题，直接回复本公众号即可。")));
        String outcome = sends.template(message);
        ledger.record(notificationId, outcome, r.customerId(), "wechat", "resolution");
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "wechat").increment();
        Log.infof("Resolution of %s told to WeChat follower %s: %s", r.ticketId(), Masking.identifier(openId), outcome);
        return outcome;
    }

    /** A text to the customer's number, held until their quiet hours end. */
    private String tellByText(String toSealed, Resolution r, Preferences.Settings settings) throws InterruptedException {
        String notificationId = notificationId("resolved:" + r.ticketId() + ":sms");
        Optional<String> before = ledger.outcome(notificationId);
        if (before.isPresent()) {
            return before.get();
        }
        String text = "【统一服务】您的诉求（编号" + r.shortId() + "）已处理完毕。如仍有问题请回复TS加描述，回复CX查询进度。";
        Instant now = clock.instant();
        Optional<Instant> quietUntil = settings.hasOwnQuietHours()
                ? quiet.endIfQuiet(now, settings.quietStart(), settings.quietEnd()) : quiet.endIfQuiet(now);
        if (quietUntil.isPresent()) {
            held.hold(notificationId, toSealed, text, quietUntil.get(), r.customerId(), "resolution");
            metrics.counter("gateway.notifications", "outcome", "held", "channel", "sms").increment();
            return "held";
        }
        String outcome = sends.text(seal.open(toSealed), text, notificationId, r.customerId(), "resolution");
        ledger.record(notificationId, outcome, r.customerId(), "sms", "resolution");
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "sms").increment();
        return outcome;
    }

    /** Notification ids fit the ledger's 64 characters: a longer one becomes a stable name-based UUID. */
    private static String notificationId(String id) {
        return id.length() <= 64 ? id : "resolved:" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
}
