package io.unichannel.gateway.notify;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.security.Channels;
import io.unichannel.gateway.repository.DeliveryLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import io.unichannel.common.events.ConsumerTracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of notifications that delivers each over the customer's channel: one-time codes by SMS
 * (survey invitations and reminders are {@link SurveyNotices}', in a consumer group of their own).
 * The replicas share one consumer group; a ledger of delivered ids keeps a notification read
 * twice (a crash, a rebalance) from being sent twice, and the provider gets the id as reference
 * to drop duplicates of its own. A provider outage is waited out with growing pauses (each call
 * is bounded by the sender's timeout, retries and circuit breaker); a notification past its expiry
 * is dropped, since an old code is useless. Sealed parameters are opened only right before sending.
 */
@ApplicationScoped
public class NotificationDispatcher {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;
    @jakarta.inject.Inject
    ConsumerTracing consumerTracing;

    public static final String CHANNEL = "notifications";
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final SmsSender sms;
    private final SendRates rates;
    private final SealedSecrets seal;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final DeliveryLedger ledger;
    private volatile boolean stopping;

    public NotificationDispatcher(SmsSender sms, SendRates rates, ObjectMapper json, MeterRegistry metrics, DeliveryLedger ledger,
            io.unichannel.common.events.DeadLetters deadLetters,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.deadLetters = deadLetters;
        this.sms = sms;
        this.rates = rates;
        this.json = json;
        this.metrics = metrics;
        this.ledger = ledger;
        this.seal = new SealedSecrets(sealKey);
    }

    private final io.unichannel.common.events.DeadLetters deadLetters;

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Delivers one notification; whatever is wrong with it, the next one is not held up. */
    @Incoming(CHANNEL)
    @Blocking
    public void deliver(ConsumerRecord<String, String> record) throws InterruptedException {
        consumerMetrics.consumed(record);
        // In the trace of the change that asked for it: the send to the operator system joins it.
        try (ConsumerTracing.Traced traced = consumerTracing.process(record)) {
            deliverInTrace(record);
        }
    }

    private void deliverInTrace(ConsumerRecord<String, String> record) throws InterruptedException {
        String outcome;
        try {
            CloudEvent event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.NOTIFICATION_REQUESTED.equals(event.type())) {
                throw new IllegalArgumentException("unexpected event type " + event.type());
            }
            JsonNode data = json.readTree(event.data());
            if (SurveyNotices.isSurvey(data) || OutageNotices.isOutage(data) || StaffNotices.isStaff(data)) {
                return; // delivered by SurveyNotices, OutageNotices and StaffNotices, in consumer groups of their own
            }
            outcome = deliver(data);
        } catch (IOException | RuntimeException e) {
            // Whatever is wrong with one notification, the next is not held up (outages are waited
            // out inside, so what reaches here is the notification's own fault): it is lettered with
            // the reason, for an operator to read and replay once fixed.
            Log.warnf("Unreadable notification %s/%d@%d dead-lettered: %s", record.topic(), record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            deadLetters.send(record, "not a deliverable notification: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())).await().atMost(Duration.ofSeconds(30));
            outcome = "invalid";
        }
        metrics.counter("gateway.notifications", "outcome", outcome, "channel", "sms").increment();
    }

    private String deliver(JsonNode data) throws InterruptedException {
        String id = data.path("notificationId").asText("");
        if (!io.unichannel.common.validation.Text.isValidRequired(id, 64, false)) {
            throw new IllegalArgumentException("notificationId missing, too long or not clean text");
        }
        String channel = data.path("channel").asText();
        OffsetDateTime expiresAt = data.hasNonNull("expiresAt") ? OffsetDateTime.parse(data.get("expiresAt").asText()) : null;
        if (expired(expiresAt)) {
            return "expired";
        }
        if (!Channels.SMS.equals(channel)) {
            Log.debugf("Notification %s for channel %s: no sender for that channel yet", id, channel);
            return "unsupported";
        }
        if (untilAvailable(() -> ledger.delivered(id))) {
            return "duplicate";
        }
        JsonNode parameters = data.path("parameters");
        String masked = parameters.path("msisdnMasked").asText("?");
        if (!sms.configured()) {
            Log.warnf("Notification %s to %s not sent: no SMS platform configured", id, masked);
            return "no-provider";
        }
        String to = seal.open(parameters.path("toSealed").asText());
        String text = NotificationTexts.render(data, seal);
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            try {
                rates.take("sms");
                String customerId = data.path("customerId").asText(null);
                String template = data.path("template").asText(null);
                untilAvailable(() -> {
                    ledger.sending(id, customerId, "sms", template);
                    return true;
                });
                sms.send(to, text, id);
                untilAvailable(() -> {
                    ledger.record(id, "sent", customerId, "sms", template);
                    return true;
                });
                Log.infof("Notification %s (%s) sent by SMS to %s", id, data.path("template").asText(), masked);
                return "sent";
            } catch (WebApplicationException e) {
                int status = e.getResponse().getStatus();
                if (status / 100 == 4 && status != 408 && status != 429) {
                    Log.warnf("SMS platform refused notification %s (HTTP %d); not retried", id, status);
                    untilAvailable(() -> {
                        ledger.record(id, "refused", data.path("customerId").asText(null), "sms", data.path("template").asText(null));
                        return true;
                    });
                    return "refused";
                }
                Log.warnf("SMS platform unavailable for notification %s (HTTP %d); next try in %s", id, status, pause);
            } catch (RuntimeException e) {
                Log.warnf("SMS platform unavailable for notification %s (%s); next try in %s", id,
                        e.getClass().getSimpleName(), pause);
            }
            if (stopping) {
                // Not acknowledged: another replica (or this one after restart) delivers it.
                throw new InterruptedException("shutting down with notification " + id + " undelivered");
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            if (expired(expiresAt)) {
                return "expired";
            }
        }
    }

    /** The ledger's database being away is an outage: waited out, never a reason to skip. */
    private boolean untilAvailable(java.util.function.BooleanSupplier ledgerCall) throws InterruptedException {
        long pause = 200;
        while (true) {
            try {
                return ledgerCall.getAsBoolean();
            } catch (RuntimeException e) {
                if (io.unichannel.common.events.Failures.isPoison(e)) {
                    throw new IllegalArgumentException("the delivery ledger refuses this notification", e);
                }
                if (stopping) {
                    throw new InterruptedException("shutting down while the delivery ledger is away");
                }
                Log.warnf("Delivery ledger unavailable (%s); retrying in %d ms", e.getClass().getSimpleName(), pause);
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 10_000);
            }
        }
    }

    private static boolean expired(OffsetDateTime expiresAt) {
        return expiresAt != null && expiresAt.isBefore(OffsetDateTime.now());
    }
}
