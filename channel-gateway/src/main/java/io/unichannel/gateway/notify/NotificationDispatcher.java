package io.unichannel.gateway.notify;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.security.Channels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Delivers the notifications other services request (one-time codes today) over the customer's
 * channel. The replicas share one consumer group, so each notification is delivered once; offsets
 * are committed after delivery, so a crash delivers again rather than never. A notification past
 * its expiry is dropped (an old code is useless); sealed parameters (code, phone number) are opened
 * only here, right before sending, and never logged.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private static final int MAX_ATTEMPTS = 5;

    private final SmsSender sms;
    private final SealedSecrets seal;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final String group;
    private final boolean enabled;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public NotificationDispatcher(SmsSender sms, ObjectMapper json, MeterRegistry metrics,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "gateway.notifications.group") String group,
            @ConfigProperty(name = "gateway.notifications.enabled") boolean enabled) {
        this.sms = sms;
        this.json = json;
        this.metrics = metrics;
        this.seal = new SealedSecrets(sealKey);
        this.bootstrapServers = bootstrapServers;
        this.group = group;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        if (!sms.configured()) {
            Log.warn("No SMS platform configured (GATEWAY_SMS_URL): one-time codes cannot be delivered");
        }
        thread = new Thread(this::run, "notification-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stop.set(true);
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    private void run() {
        while (!stop.get()) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(Topics.NOTIFICATIONS));
                while (!stop.get()) {
                    var records = c.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, String> record : records) {
                        deliver(record);
                    }
                    if (!records.isEmpty()) {
                        c.commitSync();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("Notification dispatcher lost Kafka (%s); reconnecting", e.toString());
                sleep(1_000);
            }
        }
    }

    /** Delivers one notification; whatever is wrong with it, the next one is not held up. */
    void deliver(ConsumerRecord<String, String> record) throws InterruptedException {
        String outcome;
        try {
            CloudEvent event = CloudEventRecords.fromRecord(record);
            if (!EventTypes.NOTIFICATION_REQUESTED.equals(event.type())) {
                throw new IllegalArgumentException("unexpected event type " + event.type());
            }
            JsonNode data = json.readTree(event.data());
            outcome = deliver(data);
        } catch (IOException | RuntimeException e) {
            Log.warnf("Unreadable notification %s/%d@%d skipped: %s", record.topic(), record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            outcome = "invalid";
        }
        metrics.counter("gateway.notifications", "outcome", outcome).increment();
    }

    private String deliver(JsonNode data) throws InterruptedException {
        String id = data.path("notificationId").asText();
        String channel = data.path("channel").asText();
        OffsetDateTime expiresAt = data.hasNonNull("expiresAt") ? OffsetDateTime.parse(data.get("expiresAt").asText()) : null;
        if (expiresAt != null && expiresAt.isBefore(OffsetDateTime.now())) {
            return "expired";
        }
        if (!Channels.SMS.equals(channel)) {
            Log.debugf("Notification %s for channel %s: no sender for that channel yet", id, channel);
            return "unsupported";
        }
        JsonNode parameters = data.path("parameters");
        String masked = parameters.path("msisdnMasked").asText("?");
        if (!sms.configured()) {
            Log.warnf("Notification %s to %s not sent: no SMS platform configured", id, masked);
            return "no-provider";
        }
        String to = seal.open(parameters.path("toSealed").asText());
        String text = NotificationTexts.render(data, seal);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                sms.send(to, text, id);
                Log.infof("Notification %s (%s) sent by SMS to %s", id, data.path("template").asText(), masked);
                return "sent";
            } catch (IOException e) {
                Log.warnf("SMS for notification %s failed (attempt %d of %d): %s", id, attempt, MAX_ATTEMPTS, e.getMessage());
                if (expiresAt != null && expiresAt.isBefore(OffsetDateTime.now())) {
                    return "expired";
                }
                sleep(500L << (attempt - 1));
            }
        }
        return "failed";
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
