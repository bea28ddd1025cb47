package io.unichannel.gateway.notify;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.hotline.CtiApi;
import io.unichannel.gateway.hotline.SurveyCalls;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.wechat.WeChatApi;
import io.unichannel.gateway.wechat.WeChatConfig;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import io.unichannel.common.events.ConsumerTracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Delivers survey invitations (and their one reminder) from survey-service: on the channel the
 * customer used for the request, else their preferred one, else the first that reaches them of
 * APP push, WeChat and SMS; muted channels skipped, nobody who opted out of surveys asked. The APP
 * and WeChat get a link to the survey page; an SMS carries the one question, answered by a replied
 * digit; the hotline becomes an IVR survey call through the CTI, answered by keys. What the SMS and
 * the call asked is kept (survey_prompt) so a reply can be checked and handed to survey-service.
 * survey-service keeps the contact rules and quiet hours; the ledger keeps a redelivery from
 * asking twice. A provider that is away costs only its own invitations: the next channel is tried,
 * and an invitation no channel took for that reason is parked ({@link ParkedNotices}); an
 * invitation that can never be delivered goes to dead-letters with the reason.
 */
@ApplicationScoped
public class SurveyNotices implements ParkedNotices.Purpose {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;
    @jakarta.inject.Inject
    ConsumerTracing consumerTracing;

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> TOLD = Set.of("sent", "delivered", "undelivered");

    private final ObjectMapper json;
    private final PgPool pool;
    private final DeliveryLedger ledger;
    private final MeterRegistry metrics;
    private final ProgressRepository progress;
    private final Preferences preferences;
    private final CustomerSends sends;
    private final ParkedNotices parked;
    private final io.unichannel.common.events.DeadLetters deadLetters;
    private final WeChatConfig wechatConfig;
    private final SurveyCalls calls;
    private final SealedSecrets seal;

    public SurveyNotices(ObjectMapper json, PgPool pool, DeliveryLedger ledger, MeterRegistry metrics,
            ProgressRepository progress, Preferences preferences, CustomerSends sends, ParkedNotices parked,
            io.unichannel.common.events.DeadLetters deadLetters, WeChatConfig wechatConfig, SurveyCalls calls,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.seal = new SealedSecrets(sealKey);
        this.json = json;
        this.pool = pool;
        this.ledger = ledger;
        this.metrics = metrics;
        this.progress = progress;
        this.preferences = preferences;
        this.sends = sends;
        this.parked = parked;
        this.deadLetters = deadLetters;
        this.wechatConfig = wechatConfig;
        this.calls = calls;
    }

    public static final String CHANNEL = "survey-notices";
    static final String PURPOSE = "survey";

    /** Whether a notification is a survey invitation or reminder (the rest is NotificationDispatcher's). */
    public static boolean isSurvey(JsonNode data) {
        return data.path("template").asText("").startsWith("survey-");
    }

    /**
     * Delivers one survey notice from notifications; other notices are not this consumer's. A
     * notice that cannot be read is counted and skipped; one past its expiry is dropped.
     */
    @Incoming(CHANNEL)
    @Blocking
    public void onNotification(ConsumerRecord<String, String> record) throws InterruptedException {
        consumerMetrics.consumed(record);
        // In the trace of the change that asked for it: the send to the operator system joins it.
        try (ConsumerTracing.Traced traced = consumerTracing.process(record)) {
            onNotificationInTrace(record);
        }
    }

    private void onNotificationInTrace(ConsumerRecord<String, String> record) throws InterruptedException {
        JsonNode data;
        try {
            CloudEvent event = CloudEventRecords.fromOwner(record);
            data = json.readTree(event.data());
            if (!EventTypes.NOTIFICATION_REQUESTED.equals(event.type()) || !isSurvey(data)) {
                return;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return; // not a notification at all: NotificationDispatcher letters it
        }
        String outcome;
        Duration pause = Duration.ofMillis(500);
        while (true) {
            try {
                try {
                    outcome = settle(data);
                } catch (CustomerSends.Unavailable e) {
                    parked.park(data.path("notificationId").asText(), PURPOSE, data.toString(), data.path("customerId").asText(),
                            e.getMessage());
                    outcome = "parked";
                }
                break;
            } catch (RuntimeException e) {
                if (io.unichannel.common.events.Failures.isPoison(e)) {
                    deadLetters.send(record, "not a deliverable survey invitation: " + e.getMessage()).await().atMost(WAIT);
                    outcome = "invalid";
                    break;
                }
                // The gateway's own database away: waited out (every step is idempotent through the ledger).
                Log.warnf("Survey notice not delivered yet (%s); next try in %s", e.getClass().getSimpleName(), pause);
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(WAIT) > 0 ? WAIT : pause.multipliedBy(2);
        }
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "survey").increment();
    }

    /** Expired, or delivered now; throws {@link CustomerSends.Unavailable} when it has to be parked. */
    private String settle(JsonNode data) throws InterruptedException {
        Invitation inv = read(data);
        return inv.expiresAt() != null && inv.expiresAt().isBefore(OffsetDateTime.now()) ? "expired" : deliver(inv);
    }

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public void retry(String payload) throws InterruptedException {
        String outcome = settle(parked(payload));
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "survey").increment();
    }

    @Override
    public void unreachable(String payload) {
        JsonNode data = parked(payload);
        ledger.record(data.path("notificationId").asText(), "unreachable", data.path("customerId").asText(), "none", "survey");
    }

    private JsonNode parked(String payload) {
        try {
            return json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a parked survey invitation that cannot be read", e);
        }
    }

    /** What one invitation asks, read from its NotificationRequested. */
    record Invitation(String notificationId, String invitationId, String customerId, String channel, boolean reminder,
            String title, String intro, String link, String smsQuestionId, String smsText, int smsLow, int smsHigh,
            List<CtiApi.Prompt> prompts, List<Map<String, Object>> ivrQuestions, OffsetDateTime expiresAt) {
    }

    /** Delivers one invitation; answers the outcome (sent on a channel, opted-out, unreachable, duplicate). */
    String deliver(Invitation inv) throws InterruptedException {
        Optional<String> before = ledger.outcome(inv.notificationId());
        if (before.isPresent()) {
            return "duplicate";
        }
        String canonical = CustomerSends.untilDone("database", () -> progress.canonical(inv.customerId()).await().atMost(WAIT));
        List<String> ids = CustomerSends.untilDone("database", () -> progress.idsOf(canonical).await().atMost(WAIT));
        Preferences.Settings settings = CustomerSends.untilDone("database", () -> preferences.of(canonical).await().atMost(WAIT));
        // Without identity-service the opt-outs by number cannot be checked: nobody is asked blind.
        Optional<ChannelCustomers.CustomerRecord> contact = sends.contact(inv.customerId());
        Optional<String> msisdn = contact.map(ChannelCustomers.CustomerRecord::msisdnSealed).map(seal::open);
        if (CustomerSends.untilDone("database", () -> preferences.optedOut(canonical, msisdn, "survey").await().atMost(WAIT))) {
            ledger.record(inv.notificationId(), "opted-out", inv.customerId(), "none", "survey");
            return "opted-out";
        }
        LinkedHashSet<String> order = new LinkedHashSet<>();
        if (!settings.mutedChannels().contains(inv.channel())) {
            order.add(inv.channel());
        }
        order.addAll(settings.channelsFor(contact.map(ChannelCustomers.CustomerRecord::preferredChannel).orElse(null)));
        CustomerSends.Unavailable away = null;
        for (String channel : order) {
            Optional<String> outcome;
            try {
                outcome = switch (channel) {
                    case "app" -> onApp(ids, inv);
                    case "wechat" -> onWeChat(ids, inv);
                    case "sms" -> msisdn.isPresent() ? byText(msisdn.get(), inv) : Optional.empty();
                    case "hotline" -> msisdn.isPresent() ? byCall(msisdn.get(), inv) : Optional.empty();
                    default -> Optional.empty();
                };
            } catch (CustomerSends.Unavailable e) {
                away = e;
                continue;
            }
            if (outcome.isPresent() && TOLD.contains(outcome.get())) {
                ledger.record(inv.notificationId(), outcome.get(), inv.customerId(), channel, "survey");
                Log.infof("Survey invitation %s sent on %s", inv.invitationId(), channel);
                return "sent";
            }
        }
        if (away != null) {
            throw away;
        }
        ledger.record(inv.notificationId(), "unreachable", inv.customerId(), "none", "survey");
        return "unreachable";
    }

    private Optional<String> onApp(List<String> ids, Invitation inv) throws InterruptedException {
        return sends.push(ids, inv.title(), inv.intro(), inv.link(), Map.of("survey", inv.invitationId(), "link", inv.link()));
    }

    private Optional<String> onWeChat(List<String> ids, Invitation inv) throws InterruptedException {
        Optional<String> best = Optional.empty();
        for (String openId : sends.followers(ids)) {
            String outcome = sends.template(new WeChatApi.TemplateMessage(openId, wechatConfig.surveyTemplate(), inv.link(),
                    Map.of("first", Map.of("value", inv.title()), "keyword1", Map.of("value", inv.intro()),
                            "remark", Map.of("value", "点击参与评价，约需1分钟。"))));
            Log.infof("Survey %s to WeChat follower %s: %s", inv.invitationId(), Masking.identifier(openId), outcome);
            if (best.isEmpty() || "sent".equals(outcome)) {
                best = Optional.of(outcome);
            }
        }
        return best;
    }

    private Optional<String> byText(String to, Invitation inv) throws InterruptedException {
        if (!sends.smsConfigured()) {
            return Optional.empty();
        }
        List<Map<String, Object>> asked = List.of(Map.of("questionId", inv.smsQuestionId(), "low", inv.smsLow(),
                "high", inv.smsHigh()));
        keepPrompt(inv, "sms", asked);
        String text = "【统一服务】" + (inv.reminder() ? "温馨提醒：" : "") + inv.smsText();
        return Optional.of(sends.text(to, text, inv.notificationId(), inv.customerId(), "survey"));
    }

    private Optional<String> byCall(String to, Invitation inv) throws InterruptedException {
        if (!calls.configured()) {
            return Optional.empty();
        }
        keepPrompt(inv, "hotline", inv.ivrQuestions());
        return Optional.of(CustomerSends.attempt("hotline", () -> {
            try {
                calls.place(inv.invitationId(), to, inv.prompts());
                return "sent";
            } catch (SurveyCalls.Refused e) {
                Log.warn(e.getMessage());
                return "refused";
            }
        }));
    }

    private void keepPrompt(Invitation inv, String channel, List<Map<String, Object>> questions) throws InterruptedException {
        String asked;
        try {
            asked = json.writeValueAsString(questions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        CustomerSends.untilDone("database", () -> pool.preparedQuery("""
                INSERT INTO survey_prompt (invitation_id, channel, customer_id, questions, expires_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (invitation_id, channel) DO UPDATE SET sent_at = now()""")
                .execute(Tuple.of(inv.invitationId(), channel, inv.customerId(), asked, inv.expiresAt())).await().atMost(WAIT));
    }

    private Invitation read(JsonNode data) {
        String notificationId = data.path("notificationId").asText("");
        String customerId = data.path("customerId").asText("");
        JsonNode p = data.path("parameters");
        String invitationId = p.path("invitationId").asText("");
        String link = p.path("link").asText("");
        if (!Text.isValidRequired(notificationId, 64, false) || !Text.isValidRequired(customerId, 64, false)
                || !invitationId.matches("[0-9a-f-]{36}") || !link.startsWith("http")) {
            throw new IllegalArgumentException("a survey invitation needs its notification id, customer, invitation id and link");
        }
        List<CtiApi.Prompt> prompts = new ArrayList<>();
        List<Map<String, Object>> ivrQuestions = new ArrayList<>();
        try {
            for (JsonNode prompt : json.readTree(p.path("ivrPrompts").asText("[]"))) {
                int low = prompt.path("low").asInt();
                int high = prompt.path("high").asInt();
                prompts.add(new CtiApi.Prompt(prompt.path("questionId").asText(), prompt.path("text").asText(), low + "-" + high));
                ivrQuestions.add(Map.of("questionId", prompt.path("questionId").asText(), "low", low, "high", high));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ivrPrompts is not a JSON list");
        }
        OffsetDateTime expiresAt;
        try {
            expiresAt = data.hasNonNull("expiresAt") ? OffsetDateTime.parse(data.get("expiresAt").asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("expiresAt is not a date and time");
        }
        return new Invitation(notificationId, invitationId, customerId, data.path("channel").asText(""),
                p.path("reminder").asBoolean(false), p.path("title").asText("满意度调查"), p.path("intro").asText(""), link,
                p.path("smsQuestionId").asText(""), p.path("smsText").asText(""), p.path("smsLow").asInt(1),
                p.path("smsHigh").asInt(5), prompts, ivrQuestions, expiresAt);
    }
}
