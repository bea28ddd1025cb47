package io.unichannel.common.events;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.Config;

/**
 * The consumer-side metrics every service exports under the same names: records set aside on the
 * dead-letters topic by topic and kind of reason ({@code platform_dead_letters_total}), and how long
 * a record waited between its producer and this consumer ({@code platform_event_delay_seconds}, a
 * histogram per topic: the Kafka hop of the request path). Series for the topics the service
 * consumes exist from start-up at zero, so alerts see a rise from zero, not a series appearing.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ConsumerMetrics {

    /** The kinds of reason a letter can have; the letter itself carries the full text. */
    public static final List<String> REASONS = List.of("unreadable", "wrong-source", "invalid", "refused", "unpublishable");

    private static final Pattern INCOMING_TOPICS = Pattern.compile("mp\\.messaging\\.incoming\\.[^.]+\\.topics?");

    private final MeterRegistry registry;

    public ConsumerMetrics(MeterRegistry registry, Config config) {
        this.registry = registry;
        for (String topic : consumedTopics(config)) {
            REASONS.forEach(reason -> deadLetters(topic, reason));
            delay(topic);
        }
    }

    static Set<String> consumedTopics(Config config) {
        Set<String> topics = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            Matcher m = INCOMING_TOPICS.matcher(name);
            if (m.matches()) {
                config.getOptionalValue(name, String.class).ifPresent(value -> {
                    for (String topic : value.split(",")) {
                        if (Topics.ALL.contains(topic.trim())) {
                            topics.add(topic.trim());
                        }
                    }
                });
            }
        }
        return topics;
    }

    /** The kind of a dead-letter reason, for the metric's label (bounded: one of {@link #REASONS}). */
    public static String reasonKind(String reason) {
        String r = reason == null ? "" : reason;
        if (r.startsWith("not publishable")) {
            return "unpublishable";
        }
        if (r.startsWith("refused by the database")) {
            return "refused";
        }
        if (r.contains("does not publish on")) {
            return "wrong-source";
        }
        if (r.contains("CloudEvent") || r.contains("ce_") || r.contains("no payload") || r.contains("not JSON")) {
            return "unreadable";
        }
        return "invalid";
    }

    public void deadLettered(String topic, String reason) {
        deadLetters(topic, reasonKind(reason)).increment();
    }

    /** A record reached this consumer: how long after its producer wrote it. */
    public void consumed(ConsumerRecord<?, ?> record) {
        if (record.timestamp() > 0) {
            delay(record.topic()).record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - record.timestamp())));
        }
    }

    private Counter deadLetters(String topic, String kind) {
        return Counter.builder("platform.dead.letters").tag("topic", topic).tag("reason", kind)
                .description("Records and events set aside on the dead-letters topic").register(registry);
    }

    private Timer delay(String topic) {
        return Timer.builder("platform.event.delay").tag("topic", topic)
                .description("Time from a record's producer to this consumer")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry);
    }
}
