package io.unichannel.gateway.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.gateway.tracking.Progress;
import io.unichannel.gateway.tracking.RequestTracker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads channel-requests and ticket-events in full, from the start, into the {@link RequestTracker}.
 * Every replica reads every partition (no consumer group), so any replica can serve any stream.
 * Records it cannot read are skipped with a warning; they never stop the feed.
 */
@ApplicationScoped
public class ProgressFeed {

    private final RequestTracker tracker;
    private final ObjectMapper json;
    private final String bootstrapServers;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean caughtUp;
    private volatile Map<TopicPartition, Long> startupEnd = Map.of();
    private Thread thread;

    public ProgressFeed(RequestTracker tracker, ObjectMapper json,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.tracker = tracker;
        this.json = json;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "progress-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stop.set(true);
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** True once the history that existed at start-up has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        while (!stop.get()) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.CHANNEL_REQUESTS, Topics.TICKET_EVENTS, Topics.IDENTITY_EVENTS)) {
                    c.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                startupEnd = c.endOffsets(partitions);
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                    if (!caughtUp && startupEnd.entrySet().stream()
                            .allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        caughtUp = true;
                        Log.infof("Progress feed caught up: %d requests tracked", tracker.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                Log.warnf("Progress feed lost Kafka (%s); reconnecting", e.toString());
                sleepQuietly();
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            CloudEvent event = CloudEventRecords.fromRecord(record);
            JsonNode body = json.readTree(event.data());
            if (EventTypes.CHANNEL_REQUEST_SUBMITTED.equals(event.type())) {
                tracker.record(body.get("customerId").asText(), new Progress(
                        UUID.fromString(body.get("requestId").asText()), null, 0, Progress.SUBMITTED, "submitted",
                        null, body.get("channel").asText(), OffsetDateTime.parse(body.get("submittedAt").asText())));
            } else if (EventTypes.CUSTOMERS_MERGED.equals(event.type())) {
                // The survivor of a merge sees the merged record's requests on every channel.
                tracker.merge(body.get("mergedId").asText(), body.get("survivorId").asText());
            } else if (EventTypes.BY_TOPIC.get(Topics.TICKET_EVENTS).contains(event.type())) {
                JsonNode ticket = body.at("/event/troubleTicket");
                String customer = null;
                for (JsonNode party : ticket.get("relatedParty")) {
                    if ("customer".equals(party.get("role").asText())) {
                        customer = party.get("id").asText();
                    }
                }
                JsonNode reason = ticket.get("statusChangeReason");
                tracker.record(customer, new Progress(UUID.fromString(body.get("correlationId").asText()),
                        ticket.get("id").asText(), body.get("sequence").asInt(), event.type(),
                        ticket.get("status").asText(), reason == null ? null : reason.asText(),
                        ticket.at("/channel/name").asText(), OffsetDateTime.parse(body.get("eventTime").asText())));
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("Skipping unreadable record %s/%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.toString());
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "channel-gateway-progress");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
