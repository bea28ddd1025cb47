package io.unichannel.gateway.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

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
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.repository.DeliveryLedger;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Staff notices on the staff member's own channel (channel {@code staff}: SLA warnings, breaches
 * and escalations, unowned tickets, from ticket-service; the desk shows them all the same). The
 * notice names a person or a region's supervisors; identity-service says which of them asked for
 * their notices by text, and each is texted once (the ledger keeps one id per notice and person).
 * Staff are texted at any hour: an escalation at night is what they asked for. Providers (or
 * identity-service) away park the notice; one that cannot be read is dead-lettered with the reason.
 */
@ApplicationScoped
public class StaffNotices implements ParkedNotices.Purpose {

    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;
    @jakarta.inject.Inject
    ConsumerTracing consumerTracing;

    public static final String CHANNEL = "staff-notices";
    static final String PURPOSE = "staff";
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("M月d日 HH:mm");

    private final ObjectMapper json;
    private final CustomerSends sends;
    private final ParkedNotices parked;
    private final DeliveryLedger ledger;
    private final DeadLetters deadLetters;
    private final MeterRegistry metrics;
    private final SealedSecrets seal;
    private final ZoneId zone;

    public StaffNotices(ObjectMapper json, CustomerSends sends, ParkedNotices parked, DeliveryLedger ledger,
            DeadLetters deadLetters, MeterRegistry metrics,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey,
            @ConfigProperty(name = "gateway.quiet-hours.zone", defaultValue = "Asia/Shanghai") ZoneId zone) {
        this.json = json;
        this.sends = sends;
        this.parked = parked;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.seal = new SealedSecrets(sealKey);
        this.zone = zone;
    }

    /** Whether a notification is for staff (the rest is other consumers'). */
    public static boolean isStaff(JsonNode data) {
        return "staff".equals(data.path("channel").asText());
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
                if (!EventTypes.NOTIFICATION_REQUESTED.equals(event.type()) || !isStaff(data)) {
                    return;
                }
            } catch (java.io.IOException | RuntimeException e) {
                return; // not a notification at all: NotificationDispatcher letters it
            }
            Notice notice;
            try {
                notice = read(data);
            } catch (RuntimeException e) {
                deadLetters.send(record, "not a deliverable staff notice: " + e.getMessage()).await().atMost(WAIT);
                metrics.counter("gateway.notifications", "outcome", "invalid", "channel", PURPOSE).increment();
                return;
            }
            Duration pause = Duration.ofMillis(500);
            while (true) {
                try {
                    try {
                        deliver(notice);
                    } catch (CustomerSends.Unavailable e) {
                        parked.park(notice.notificationId(), PURPOSE, data.toString(),
                                notice.staffId().length() <= 64 ? notice.staffId() : notice.staffId().substring(0, 64), e.getMessage());
                    }
                    return;
                } catch (RuntimeException e) {
                    Log.warnf("Staff notice %s not delivered yet (%s); next try in %s", notice.notificationId(),
                            e.getClass().getSimpleName(), pause);
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** One notice: to whom (a person or supervisors:&lt;region&gt;), what, about which ticket. */
    record Notice(String notificationId, String staffId, String template, String ticketId, String metric, Double at,
            String dueAt) {
    }

    private void deliver(Notice notice) throws InterruptedException {
        if (!sends.smsConfigured()) {
            return;
        }
        List<ChannelCustomers.StaffReach> people = sends.staffReach(notice.staffId());
        if (people.isEmpty()) {
            Log.debugf("Staff notice %s for %s: nobody there reads notices by text", notice.notificationId(), notice.staffId());
        }
        String text = text(notice);
        for (ChannelCustomers.StaffReach person : people) {
            String id = notificationId(notice.notificationId() + ":" + person.username());
            if (ledger.outcome(id).isPresent()) {
                continue;
            }
            String to = seal.open(person.msisdnSealed());
            String outcome = sends.text(to, text, id, null, PURPOSE);
            ledger.record(id, outcome, null, "sms", PURPOSE);
            metrics.counter("gateway.notifications", "outcome", outcome, "channel", "sms").increment();
            Log.infof("Staff notice %s (%s) texted to %s at %s: %s", notice.notificationId(), notice.template(), person.username(),
                    Masking.msisdn(to), outcome);
        }
    }

    /** The text a member of staff reads, short enough for one message. */
    private String text(Notice n) {
        String metric = n.metric() == null ? "" : switch (n.metric()) {
            case "firstResponse" -> "首次响应";
            case "resolution" -> "解决";
            case "update" -> "进展更新";
            default -> n.metric();
        };
        String used = n.at() == null ? "" : "已用" + Math.round(n.at() * 100) + "%";
        String due = "";
        if (n.dueAt() != null) {
            try {
                due = "，时限" + DUE.format(OffsetDateTime.parse(n.dueAt()).atZoneSameInstant(zone));
            } catch (java.time.format.DateTimeParseException e) {
                due = "";
            }
        }
        String what = switch (n.template()) {
            case "sla-warn" -> "SLA预警";
            case "sla-breach" -> "SLA超时";
            case "sla-raisePriority" -> "SLA升级（已提高优先级）";
            case "sla-reassign" -> "SLA升级（已转派）";
            case "sla-page" -> "SLA升级（请立即处理）";
            case "routing-unowned" -> "工单无人受理";
            default -> "工单提醒";
        };
        return "【统一服务·内部】" + what + "：工单" + n.ticketId() + (metric.isEmpty() ? "" : " " + metric + used) + due + "。请登录工作台处理。";
    }

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public void retry(String payload) throws InterruptedException {
        deliver(read(parked(payload)));
    }

    @Override
    public void unreachable(String payload) {
        Notice notice = read(parked(payload));
        ledger.record(notice.notificationId(), "unreachable", null, "none", PURPOSE);
    }

    private JsonNode parked(String payload) {
        try {
            return json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a parked staff notice that cannot be read", e);
        }
    }

    private static Notice read(JsonNode data) {
        String notificationId = data.path("notificationId").asText("");
        String staffId = data.path("staffId").asText("");
        String template = data.path("template").asText("");
        JsonNode p = data.path("parameters");
        String ticketId = p.path("ticketId").asText(data.path("relatedTicketId").asText(""));
        if (!Text.isValidRequired(notificationId, 64, false) || !staffId.matches("[A-Za-z0-9._:@-]{1,80}")
                || !template.matches("[a-zA-Z-]{1,40}") || !ticketId.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new IllegalArgumentException("a staff notice needs its notification id, whom it is for, its template and ticket");
        }
        String metric = p.path("metric").asText(null);
        if (metric != null && !metric.matches("[a-zA-Z]{1,32}")) {
            throw new IllegalArgumentException("metric must be a name");
        }
        Double at = p.path("at").isNumber() ? p.get("at").asDouble() : null;
        return new Notice(notificationId, staffId, template, ticketId, metric, at, p.path("dueAt").asText(null));
    }

    private static String notificationId(String id) {
        return id.length() <= 64 ? id : "staff:" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
}
