package io.unichannel.gateway.notify;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.wechat.WeChatConfig;
import jakarta.enterprise.context.ApplicationScoped;
import io.unichannel.common.events.ConsumerTracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Tells a customer the result of their request where they want to hear it: when a ticket is
 * resolved, the notice goes out as a {@link ServiceMessages service message} (the customer's
 * preferred channel, fallbacks, quiet hours, send rates).
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
    private final DeadLetters deadLetters;
    private final ParkedNotices parked;
    private final ServiceMessages messages;
    private final WeChatConfig wechatConfig;
    private final String requestLink;

    public ResultNotices(ObjectMapper json, DeadLetters deadLetters, ParkedNotices parked, ServiceMessages messages,
            WeChatConfig wechatConfig, @ConfigProperty(name = "gateway.push.request-link") String requestLink) {
        this.json = json;
        this.deadLetters = deadLetters;
        this.parked = parked;
        this.messages = messages;
        this.wechatConfig = wechatConfig;
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
                    parked.park(ServiceMessages.notificationId("resolved:" + resolution.ticketId()), PURPOSE, json.writeValueAsString(resolution),
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

    /** The resolution as each channel tells it. */
    private ServiceMessages.Message message(Resolution r) {
        return new ServiceMessages.Message("resolved:" + r.ticketId(), r.customerId(), PURPOSE, "诉求已处理完毕",
                "您的诉求（编号" + r.shortId() + "）已处理完毕，点击查看结果。", requestLink + r.requestId(),
                Map.of("requestId", r.requestId(), "ticketId", r.ticketId(), "status", "resolved"),
                wechatConfig.resolvedTemplate(), wechatConfig.requestUrl() + r.requestId(), Map.of(
                        "first", Map.of("value", "您的诉求已处理完毕"),
                        "keyword1", Map.of("value", r.shortId()),
                        "keyword2", Map.of("value", "已解决"),
                        "remark", Map.of("value", "如仍有问题，直接回复本公众号即可。")),
                "【统一服务】您的诉求（编号" + r.shortId() + "）已处理完毕。如仍有问题请回复TS加描述，回复CX查询进度。");
    }

    private void tell(Resolution r) throws InterruptedException {
        messages.tell(message(r));
    }

    private void toldNowhere(Resolution r) {
        messages.toldNowhere(message(r));
    }

}
