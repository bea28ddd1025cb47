package io.unichannel.gateway.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.unichannel.common.events.KafkaConnection;
import io.unichannel.common.events.Topics;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.tracking.Progress;
import io.unichannel.gateway.tracking.ProgressRecords;
import io.unichannel.gateway.tracking.ProgressUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The live edge of the progress view on this replica: a reader of every partition (no consumer
 * group) that hands each new step to the streams this replica serves. It starts where the
 * projector's group stands, so whatever the view does not hold yet still reaches live streams.
 * Memory holds only the open streams and a short window of recent steps (for a stream that opens
 * while the projector is a moment behind); history lives in PostgreSQL.
 */
@ApplicationScoped
public class LiveProgress {

    /** Steps kept for streams that open while the projector is a moment behind the broker. */
    static final int RECENT_STEPS = 5_000;

    /** A live subscription; closing it removes the listener wherever it was registered. */
    public final class Registration implements AutoCloseable {
        private final Consumer<Progress> listener;
        private final List<Object> keys = new CopyOnWriteArrayList<>();

        private Registration(Consumer<Progress> listener) {
            this.listener = listener;
        }

        private void add(Map<Object, Set<Registration>> index, Object key) {
            keys.add(key);
            index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(this);
        }

        @Override
        public void close() {
            for (Object key : keys) {
                remove(byRequest, key);
                remove(byCustomer, key);
            }
        }

        private void remove(Map<Object, Set<Registration>> index, Object key) {
            index.computeIfPresent(key, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }

    private record Recent(String customerId, Progress step) {
    }

    private final ProgressRecords parser;
    private final ProgressRepository repository;
    private final String bootstrapServers;
    private final String group;
    private final Map<Object, Set<Registration>> byRequest = new ConcurrentHashMap<>();
    private final Map<Object, Set<Registration>> byCustomer = new ConcurrentHashMap<>();
    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean live;
    private Thread thread;

    public LiveProgress(ProgressRecords parser, ProgressRepository repository, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "gateway.progress.group") String group) {
        this.parser = parser;
        this.repository = repository;
        this.bootstrapServers = bootstrapServers;
        this.group = group;
        registry.gaugeMapSize("gateway.live.followed.requests", List.of(), byRequest);
        registry.gaugeMapSize("gateway.live.followed.customers", List.of(), byCustomer);
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "progress-live");
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

    /** True once the live reader is positioned and reading. */
    public boolean live() {
        return live;
    }

    /** Follows one request; returns the recent steps it may have missed while the view catches up. */
    public Registration followRequest(UUID requestId, Consumer<Progress> listener, List<Progress> recentOut) {
        Registration registration = new Registration(listener);
        synchronized (recent) {
            registration.add(byRequest, requestId);
            recent.stream().filter(r -> r.step().requestId().equals(requestId)).forEach(r -> recentOut.add(r.step()));
        }
        return registration;
    }

    /** Follows every request of a customer known by any of {@code ids} (theirs and merged records'). */
    public Registration followCustomer(Collection<String> ids, Consumer<Progress> listener, List<Progress> recentOut) {
        Registration registration = new Registration(listener);
        synchronized (recent) {
            ids.forEach(id -> registration.add(byCustomer, id));
            recent.stream().filter(r -> ids.contains(r.customerId())).forEach(r -> recentOut.add(r.step()));
        }
        return registration;
    }

    private void dispatch(String customerId, Progress step) {
        synchronized (recent) {
            recent.addLast(new Recent(customerId, step));
            if (recent.size() > RECENT_STEPS) {
                recent.removeFirst();
            }
        }
        // Listeners are copied before they are called: a stream may end (and unregister) on this step.
        for (Registration r : List.copyOf(byRequest.getOrDefault(step.requestId(), Set.of()))) {
            r.listener.accept(step);
        }
        if (customerId != null) {
            for (Registration r : List.copyOf(byCustomer.getOrDefault(customerId, Set.of()))) {
                r.listener.accept(step);
            }
        }
    }

    /** Followers of the survivor now also see steps filed under the merged id, and the other way round. */
    private void merge(String mergedId, String survivorId) {
        List<Registration> ofSurvivor = List.copyOf(byCustomer.getOrDefault(survivorId, Set.of()));
        List<Registration> ofMerged = List.copyOf(byCustomer.getOrDefault(mergedId, Set.of()));
        ofSurvivor.forEach(r -> r.add(byCustomer, mergedId));
        ofMerged.forEach(r -> r.add(byCustomer, survivorId));
    }

    private void apply(ConsumerRecord<String, String> record) {
        ProgressUpdate update;
        try {
            update = parser.parse(record).orElse(null);
        } catch (RuntimeException e) {
            return; // the projector dead-letters it
        }
        if (update instanceof ProgressUpdate.Step step) {
            dispatch(step.customerId(), step.progress());
        } else if (update instanceof ProgressUpdate.Merge merge) {
            merge(merge.mergedId(), merge.survivorId());
        } else if (update instanceof ProgressUpdate.Failure failure) {
            // Rare: find whose request failed, then tell their streams.
            repository.ownerOf(failure.progress().requestId()).subscribe().with(owner -> owner.ifPresent(
                    o -> dispatch(o.customerId(), failure.progress().withChannel(o.channel()))),
                    e -> Log.warnf("Could not tell streams that %s failed: %s", failure.progress().requestId(), e));
        }
    }

    private void run() {
        while (!stop.get()) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.CHANNEL_REQUESTS, Topics.TICKET_EVENTS, Topics.IDENTITY_EVENTS,
                        Topics.DEAD_LETTERS)) {
                    c.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                c.assign(partitions);
                position(c, partitions);
                live = true;
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                live = false;
                Log.warnf("Live progress lost Kafka (%s); reconnecting", e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Starts each partition where the projector's group stands (or at the end when it has no position). */
    private void position(KafkaConsumer<String, String> c, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        Properties props = KafkaConnection.properties(bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            committed = Map.of();
        }
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata at = committed.get(partition);
            c.seek(partition, at != null ? at.offset() : end.get(partition));
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties props = KafkaConnection.properties(bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // A fetch returns as soon as a record arrives (fetch.min.bytes 1); the wait only bounds an
        // idle fetch. At 10 ms it was a hundred fetches a second at rest, a tenth of the broker's core.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5000");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "channel-gateway-live");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
