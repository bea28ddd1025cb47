package io.unichannel.gateway.wechat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.repository.ProgressRepository;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Tells a customer the result where they follow the operator: when a ticket is resolved, every
 * WeChat follower bound to the customer (or to a record merged into theirs) gets a template
 * message linking to the request. One consumer group across replicas; the delivery ledger keeps a
 * redelivered event from sending twice; an event that cannot be read goes to dead-letters; a
 * WeChat outage is waited out.
 */
@ApplicationScoped
public class ResultNotices {

    public static final String CHANNEL = "results";
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json;
    private final ProgressRepository progress;
    private final PgPool pool;
    private final WeChatSender wechat;
    private final DeliveryLedger ledger;
    private final DeadLetters deadLetters;
    private final WeChatConfig config;
    private final MeterRegistry metrics;

    private final io.unichannel.gateway.adapters.ChannelCustomers customers;
    private final io.unichannel.gateway.notify.SmsSender sms;
    private final io.unichannel.gateway.notify.QuietHours quiet;
    private final io.unichannel.gateway.notify.HeldNotices held;
    private final java.time.Clock clock;
    private final io.unichannel.common.privacy.SealedSecrets seal;

    public ResultNotices(ObjectMapper json, ProgressRepository progress, PgPool pool, WeChatSender wechat, DeliveryLedger ledger,
            DeadLetters deadLetters, WeChatConfig config, MeterRegistry metrics,
            io.unichannel.gateway.adapters.ChannelCustomers customers, io.unichannel.gateway.notify.SmsSender sms,
            io.unichannel.gateway.notify.QuietHours quiet, io.unichannel.gateway.notify.HeldNotices held, java.time.Clock clock,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.customers = customers;
        this.sms = sms;
        this.quiet = quiet;
        this.held = held;
        this.clock = clock;
        this.seal = new io.unichannel.common.privacy.SealedSecrets(sealKey);
        this.json = json;
        this.progress = progress;
        this.pool = pool;
        this.wechat = wechat;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.config = config;
        this.metrics = metrics;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onTicketEvent(ConsumerRecord<String, String> record) throws InterruptedException {
        String ticketId;
        String customerId;
        String requestId;
        try {
            CloudEvent event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.TROUBLE_TICKET_RESOLVED.equals(event.type())) {
                return;
            }
            JsonNode body = json.readTree(event.data());
            JsonNode ticket = body.at("/event/troubleTicket");
            ticketId = ticket.path("id").asText("");
            requestId = body.path("correlationId").asText("");
            customerId = null;
            for (JsonNode party : ticket.path("relatedParty")) {
                if ("customer".equals(party.path("role").asText())) {
                    customerId = party.path("id").asText(null);
                }
            }
            if (!io.unichannel.common.validation.Text.isValidRequired(ticketId, 64, false)
                    || !io.unichannel.common.validation.Text.isValidRequired(customerId, 64, false)) {
                throw new IllegalArgumentException("a resolved ticket needs its id and its customer");
            }
        } catch (Exception e) {
            deadLetters.send(record, "not a readable resolution: " + e.getMessage()).await().atMost(WAIT);
            return;
        }
        String customer = customerId;
        String canonical = progress.canonical(customerId).await().atMost(WAIT);
        List<String> ids = progress.idsOf(canonical).await().atMost(WAIT);
        List<String> followers = pool.preparedQuery(
                "SELECT open_id FROM wechat_follower WHERE subscribed AND customer_id = ANY($1) ORDER BY open_id")
                .execute(Tuple.of(ids.toArray(String[]::new))).await().atMost(WAIT)
                .stream().map((Row row) -> row.getString("open_id")).toList();
        for (String openId : followers) {
            tellOnWeChat(openId, ticketId, requestId, customer);
        }
        // By text message when WeChat did not reach them or they prefer texts; held in quiet hours.
        if (!sms.configured()) {
            return;
        }
        java.util.Optional<io.unichannel.gateway.adapters.ChannelCustomers.CustomerRecord> contact =
                untilAvailable(() -> customers.contact(customer).await().atMost(WAIT));
        if (contact.isPresent() && contact.get().msisdnSealed() != null
                && (followers.isEmpty() || "sms".equals(contact.get().preferredChannel()))) {
            tellByText(contact.get().msisdnSealed(), ticketId, requestId, customer);
        }
    }

    private void tellByText(String toSealed, String ticketId, String requestId, String customerId) throws InterruptedException {
        String notificationId = "resolved:" + ticketId + ":sms";
        if (notificationId.length() > 64 || ledger.delivered(notificationId)) {
            return;
        }
        String text = "【统一服务】您的诉求（编号" + (requestId.length() >= 8 ? requestId.substring(0, 8) : requestId)
                + "）已处理完毕。如仍有问题请回复TS加描述，回复CX查询进度。";
        java.util.Optional<java.time.Instant> quietUntil = quiet.endIfQuiet(clock);
        if (quietUntil.isPresent()) {
            held.hold(notificationId, toSealed, text, quietUntil.get(), customerId, "resolution");
            metrics.counter("gateway.notifications", "outcome", "held", "channel", "sms").increment();
            return;
        }
        String outcome = "no-provider";
        if (sms.configured()) {
            outcome = sendTextUntilDone(seal.open(toSealed), text, notificationId);
        }
        ledger.record(notificationId, outcome, customerId, "sms", "resolution");
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "sms").increment();
    }

    /** A text: sent, or refused by the platform (4xx other than 408/429); anything else is an outage. */
    private String sendTextUntilDone(String to, String text, String reference) throws InterruptedException {
        return untilDone("SMS platform", () -> {
            try {
                sms.send(to, text, reference);
                return "sent";
            } catch (jakarta.ws.rs.WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status / 100 == 4 && status != 408 && status != 429) {
                    return "refused";
                }
                throw e;
            }
        });
    }

    /** identity-service being away is an outage: waited out, never a reason to skip a customer. */
    private <T> T untilAvailable(java.util.function.Supplier<T> call) throws InterruptedException {
        return untilDone("identity-service", call);
    }

    /** Calls until an answer comes; every failure is an outage, waited out with pauses growing to 30 s. */
    private static <T> T untilDone(String what, java.util.function.Supplier<T> call) throws InterruptedException {
        Duration pause = Duration.ofMillis(500);
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                Log.warnf("%s unavailable (%s); next try in %s", what, e.getClass().getSimpleName(), pause);
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private void tellOnWeChat(String openId, String ticketId, String requestId, String customerId) throws InterruptedException {
        String notificationId = "resolved:" + ticketId + ":wechat:" + openId;
        if (notificationId.length() > 64) {
            notificationId = "resolved:" + java.util.UUID.nameUUIDFromBytes(notificationId.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        if (ledger.delivered(notificationId)) {
            return;
        }
        String outcome = sendUntilDone(new WeChatApi.TemplateMessage(openId, config.resolvedTemplate(),
                config.requestUrl() + requestId, Map.of(
                        "first", Map.of("value", "您的诉求已处理完毕"),
                        "keyword1", Map.of("value", requestId.length() >= 8 ? requestId.substring(0, 8) : requestId),
                        "keyword2", Map.of("value", "已解决"),
                        "remark", Map.of("value", "如仍有问题，直接回复本公众号即可。"))));
        ledger.record(notificationId, outcome, customerId, "wechat", "resolution");
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "wechat").increment();
        Log.infof("Resolution of %s told to WeChat follower %s: %s", ticketId, Masking.identifier(openId), outcome);
    }

    /** A template message: sent, or refused by WeChat (the follower left, a wrong template); anything else is an outage. */
    private String sendUntilDone(WeChatApi.TemplateMessage message) throws InterruptedException {
        return untilDone("WeChat", () -> {
            try {
                wechat.send(message).await().atMost(WAIT);
                return "sent";
            } catch (WeChatSender.Refused e) {
                Log.warn(e.getMessage());
                return "refused";
            }
        });
    }
}
