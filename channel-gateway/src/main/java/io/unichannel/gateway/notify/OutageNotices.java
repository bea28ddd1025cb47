package io.unichannel.gateway.notify;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.ConsumerTracing;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.wechat.WeChatConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Tells customers of an outage in their area before they call, and of its end (主动告知; templates
 * {@code outage-opened} and {@code outage-cleared} from ticket-service, which pages through the
 * OSS's customers of the area): each as a {@link ServiceMessages service message} on the customer's
 * preferred channel, with fallbacks, texts outside quiet hours. A notice past its expiry (the outage
 * is long over) is dropped; one no channel took because providers were away is parked; one that
 * cannot be read is dead-lettered with the reason.
 */
@ApplicationScoped
public class OutageNotices implements ParkedNotices.Purpose {

    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;
    @jakarta.inject.Inject
    ConsumerTracing consumerTracing;

    public static final String CHANNEL = "outage-notices";
    static final String PURPOSE = "outage";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final ObjectMapper json;
    private final ServiceMessages messages;
    private final ParkedNotices parked;
    private final DeliveryLedger ledger;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final WeChatConfig wechatConfig;
    private final String link;

    public OutageNotices(ObjectMapper json, ServiceMessages messages, ParkedNotices parked, DeliveryLedger ledger,
            DeadLetters deadLetters, MeterRegistry metrics, WeChatConfig wechatConfig,
            @ConfigProperty(name = "gateway.push.outage-link", defaultValue = "https://service.example.invalid/outages/") String link) {
        this.json = json;
        this.messages = messages;
        this.parked = parked;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.wechatConfig = wechatConfig;
        this.link = link;
    }

    /** Whether a notification is an outage notice (the rest is other consumers'). */
    public static boolean isOutage(JsonNode data) {
        return data.path("template").asText("").startsWith("outage-");
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onNotification(ConsumerRecord<String, String> record) throws InterruptedException {
        consumerMetrics.consumed(record);
        try (ConsumerTracing.Traced traced = consumerTracing.process(record)) {
            JsonNode data;
            try {
                CloudEvent event = CloudEventRecords.fromOwner(record);
                data = json.readTree(event.data());
                if (!EventTypes.NOTIFICATION_REQUESTED.equals(event.type()) || !isOutage(data)) {
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                return; // not a notification at all: NotificationDispatcher letters it
            }
            Notice notice;
            try {
                notice = read(data);
            } catch (RuntimeException e) {
                deadLetters.send(record, "not a deliverable outage notice: " + e.getMessage()).await().atMost(WAIT);
                metrics.counter("gateway.notifications", "outcome", "invalid", "channel", PURPOSE).increment();
                return;
            }
            // Every step is idempotent (the ledger): after an outage of the gateway's own database the
            // notice is tried again; a provider's outage parks it instead of holding the consumer.
            Duration pause = Duration.ofMillis(500);
            while (true) {
                try {
                    try {
                        settle(notice);
                    } catch (CustomerSends.Unavailable e) {
                        parked.park(notice.notificationId(), PURPOSE, data.toString(), notice.customerId(), e.getMessage());
                    }
                    return;
                } catch (RuntimeException e) {
                    Log.warnf("Outage notice %s not told yet (%s); next try in %s", notice.notificationId(),
                            e.getClass().getSimpleName(), pause);
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** One notice: whose, which outage, opened or cleared, and what to say of it. */
    record Notice(String notificationId, String customerId, boolean opened, String outageId, String area, String cause,
            String restoreText, OffsetDateTime expiresAt) {
    }

    private void settle(Notice notice) throws InterruptedException {
        if (notice.expiresAt() != null && notice.expiresAt().isBefore(OffsetDateTime.now())) {
            metrics.counter("gateway.notifications", "outcome", "expired", "channel", PURPOSE).increment();
            return;
        }
        messages.tell(message(notice));
    }

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public void retry(String payload) throws InterruptedException {
        settle(read(parked(payload)));
    }

    @Override
    public void unreachable(String payload) {
        Notice notice = read(parked(payload));
        ledger.record(notice.notificationId(), "unreachable", notice.customerId(), "none", PURPOSE);
    }

    private JsonNode parked(String payload) {
        try {
            return json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a parked outage notice that cannot be read", e);
        }
    }

    private static Notice read(JsonNode data) {
        String notificationId = data.path("notificationId").asText("");
        String customerId = data.path("customerId").asText("");
        String template = data.path("template").asText("");
        JsonNode p = data.path("parameters");
        String outageId = p.path("outageId").asText("");
        String area = p.path("area").asText("");
        String cause = p.path("cause").asText(null);
        String restoreText = p.path("restoreText").asText(null);
        if (!Text.isValidRequired(notificationId, 64, false) || !customerId.matches("[A-Za-z0-9._:-]{1,64}")
                || !template.matches("outage-(opened|cleared)") || !outageId.matches("[A-Za-z0-9._:-]{1,64}")
                || !area.matches("[A-Za-z0-9._:-]{1,64}") || cause != null && !Text.isValidRequired(cause, 500, true)
                || restoreText != null && !Text.isValidRequired(restoreText, 40, false)) {
            throw new IllegalArgumentException("an outage notice needs its notification id, customer, outage, area and "
                    + "outage-opened or outage-cleared");
        }
        OffsetDateTime expiresAt;
        try {
            expiresAt = data.hasNonNull("expiresAt") ? OffsetDateTime.parse(data.get("expiresAt").asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("expiresAt is not a date and time");
        }
        return new Notice(notificationId, customerId, template.equals("outage-opened"), outageId, area, cause, restoreText,
                expiresAt);
    }

    /** What each channel says: the outage, its cause and expected end; or that it is over. */
    private ServiceMessages.Message message(Notice n) {
        String key = n.notificationId();
        String restore = n.restoreText() == null ? "" : "，预计" + n.restoreText() + "前恢复";
        String cause = n.cause() == null ? "" : "（" + n.cause() + "）";
        if (n.opened()) {
            return new ServiceMessages.Message(key, n.customerId(), PURPOSE, "您所在区域网络故障",
                    "您所在区域（" + n.area() + "）网络故障" + cause + "，正在抢修" + restore + "，无需报障。", link + n.outageId(),
                    Map.of("outageId", n.outageId(), "area", n.area(), "state", "opened"), wechatConfig.outageTemplate(),
                    link + n.outageId(), Map.of(
                            "first", Map.of("value", "您所在区域网络故障，正在抢修"),
                            "keyword1", Map.of("value", n.area()),
                            "keyword2", Map.of("value", n.cause() == null ? "网络故障" : n.cause()),
                            "remark", Map.of("value", (n.restoreText() == null ? "" : "预计" + n.restoreText() + "前恢复。")
                                    + "恢复后将再通知您，无需报障。")),
                    "【统一服务】您所在区域网络故障" + cause + "，正在抢修" + restore + "，无需报障，恢复后将再通知您。");
        }
        return new ServiceMessages.Message(key, n.customerId(), PURPOSE, "网络故障已修复",
                "您所在区域（" + n.area() + "）的网络故障已修复，服务已恢复。", link + n.outageId(),
                Map.of("outageId", n.outageId(), "area", n.area(), "state", "cleared"), wechatConfig.outageTemplate(),
                link + n.outageId(), Map.of(
                        "first", Map.of("value", "您所在区域的网络故障已修复"),
                        "keyword1", Map.of("value", n.area()),
                        "keyword2", Map.of("value", "已恢复"),
                        "remark", Map.of("value", "如仍无法使用，直接回复本公众号即可。")),
                "【统一服务】您所在区域的网络故障已修复，服务已恢复。如仍无法使用请回复TS加描述。");
    }
}
