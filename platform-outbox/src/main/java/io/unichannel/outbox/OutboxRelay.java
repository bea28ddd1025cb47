package io.unichannel.outbox;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventProducer;
import io.unichannel.common.events.EventTraces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Publishes a service's outbox: it reads inserts into outbox_event from PostgreSQL's logical
 * replication stream ({@link OutboxStream}) and sends each as a CloudEvent keyed by its aggregate id
 * (ticket id, customer id), to the topic the row names or else to the configured one. A batch's
 * position is confirmed to PostgreSQL only after Kafka has acknowledged every record in it, so a
 * crash can replay events (consumers deduplicate on the event id) but never lose one.
 *
 * <p>Every replica runs a relay, but only the holder of the database's lease streams (the slot
 * admits one reader); the others stand by, check the lease twice a second and take over when it
 * expires (a holder frozen or cut off from the database) or at once when the holder's lease
 * connection is gone (a holder killed or crashed).
 * The holder stops streaming as soon as it cannot renew, before its lease runs out, and hands the
 * lease back when it shuts down. It also prunes rows older than the retention.
 */
@ApplicationScoped
public class OutboxRelay {

    /** What this replica's relay is doing. */
    public enum Role {
        /** Holds the lease and streams the outbox. */
        ACTIVE,
        /** Another replica holds the lease; this one takes over when it lapses. */
        STANDBY,
        /** The lease cannot be read: the database is away. */
        UNKNOWN,
        DISABLED
    }

    private final OutboxRelayConfig config;
    private final EventProducer producer;
    private final DeadLetters deadLetters;
    private final RelayLease lease;
    private final ScheduledExecutorService leaseThread = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "outbox-lease"));
    private final Counter published;
    private final Counter takeovers;
    private final AtomicLong lastPublishedEventMillis = new AtomicLong();
    /** Which streaming session is current: a session whose number is stale was stopped on purpose. */
    private final AtomicLong generation = new AtomicLong();

    private volatile Role role = Role.UNKNOWN;
    private volatile String otherHolder;
    private volatile OutboxStream engine;
    private volatile ExecutorService engineThread;
    private volatile boolean streaming;
    private volatile boolean stopping;
    private volatile String failure;
    private long lastRenewalNanos;
    private long activeSinceNanos;
    private long lastPruneNanos;

    private final Tracer tracer;

    public OutboxRelay(OutboxRelayConfig config, EventProducer producer, DeadLetters deadLetters,
            MeterRegistry registry, Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.lease = new RelayLease(config, config.instanceId().orElseGet(OutboxRelay::defaultInstanceId));
        this.published = registry.counter("outbox.events.published", "slot", config.slot());
        this.takeovers = registry.counter("outbox.relay.takeovers", "slot", config.slot());
        registry.gauge("outbox.relay.active", List.of(io.micrometer.core.instrument.Tag.of("slot", config.slot())),
                this, r -> r.role == Role.ACTIVE && r.streaming ? 1 : 0);
        registry.gauge("outbox.relay.publish.lag.seconds",
                List.of(io.micrometer.core.instrument.Tag.of("slot", config.slot())), this,
                r -> r.lastPublishedEventMillis.get() == 0 ? 0
                        : (System.currentTimeMillis() - r.lastPublishedEventMillis.get()) / 1000.0);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            role = Role.DISABLED;
            Log.info("Outbox relay disabled");
            return;
        }
        Log.infof("Outbox relay %s: checking the lease of slot %s every %d ms", lease.holder(), config.slot(),
                config.leaseRenewMs());
        leaseThread.scheduleWithFixedDelay(this::tick, 0, config.leaseRenewMs(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (!config.enabled()) {
            return;
        }
        stopping = true;
        leaseThread.shutdownNow();
        try {
            leaseThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean wasActive = role == Role.ACTIVE;
        stopEngine();
        if (wasActive) {
            try {
                lease.release();
                Log.infof("Outbox relay %s handed its lease back", lease.holder());
            } catch (SQLException e) {
                Log.warnf("Outbox relay could not hand its lease back (it expires in %d ms): %s", config.leaseMs(), e);
            }
        }
        lease.close();
    }

    /** One lease check: take over, keep publishing, step down or fence ourselves off. */
    private void tick() {
        try {
            boolean held = lease.acquireOrRenew();
            if (held) {
                lastRenewalNanos = System.nanoTime();
                otherHolder = null;
                if (role != Role.ACTIVE) {
                    role = Role.ACTIVE;
                    activeSinceNanos = lastRenewalNanos;
                    takeovers.increment();
                    int fenced = lease.fencePreviousHolder();
                    Log.infof("Outbox relay %s took the lease of slot %s%s", lease.holder(), config.slot(),
                            fenced > 0 ? " and ended the previous holder's session" : "");
                    startEngine();
                } else if (engineStopped()) {
                    lease.fencePreviousHolder();
                    startEngine();
                }
                pruneNowAndThen();
            } else {
                if (role == Role.ACTIVE) {
                    Log.warnf("Outbox relay %s lost the lease of slot %s; standing by", lease.holder(), config.slot());
                    stopEngine();
                }
                role = Role.STANDBY;
                otherHolder = lease.currentHolder().orElse(null);
            }
        } catch (SQLException | RuntimeException e) {
            lease.close();
            if (role == Role.ACTIVE
                    && System.nanoTime() - lastRenewalNanos > TimeUnit.MILLISECONDS.toNanos(config.leaseMs() - config.leaseRenewMs())) {
                // Another replica may take the lease any moment now: stop before it does.
                Log.warnf("Outbox relay %s cannot renew its lease (%s); stopping before it lapses", lease.holder(), e);
                stopEngine();
                role = Role.UNKNOWN;
            } else if (role != Role.ACTIVE) {
                role = Role.UNKNOWN;
            }
            failure = "lease: " + e.getMessage();
        }
    }

    private void pruneNowAndThen() throws SQLException {
        long now = System.nanoTime();
        if (now - lastPruneNanos < TimeUnit.MILLISECONDS.toNanos(config.pruneIntervalMs())) {
            return;
        }
        lastPruneNanos = now;
        int removed = lease.prune();
        if (removed > 0) {
            Log.debugf("Outbox relay pruned %d published events", removed);
        }
    }

    private boolean engineStopped() {
        return engineThread == null || engineThread.isTerminated() || !streaming && failure != null;
    }

    private void startEngine() {
        stopEngine();
        failure = null;
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
        engineThread = thread;
        long mine = generation.incrementAndGet();
        thread.execute(() -> {
            try (OutboxStream stream = OutboxStream.open(config, "outbox-relay:" + lease.holder(), MAX_BATCH)) {
                synchronized (this) {
                    if (generation.get() != mine) {
                        return; // stopped while the session opened
                    }
                    engine = stream;
                }
                streaming = true;
                Log.infof("Outbox relay %s streaming from slot %s", lease.holder(), config.slot());
                stream.run(this::publish);
            } catch (Exception e) {
                if (!stopping && generation.get() == mine) {
                    failure = String.valueOf(e.getMessage());
                    Log.warnf("Outbox relay stopped streaming: %s", e.getMessage());
                }
            } finally {
                streaming = false;
            }
        });
        thread.shutdown();
    }

    /** At most this many events go to Kafka in one round (whole transactions, so a round may hold more). */
    static final int MAX_BATCH = 2048;

    private void stopEngine() {
        OutboxStream running;
        synchronized (this) {
            generation.incrementAndGet();
            running = engine;
            engine = null;
        }
        ExecutorService thread = engineThread;
        if (thread == null) {
            return;
        }
        try {
            if (running != null) {
                running.close();
            }
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warn("Outbox relay did not stop cleanly", e);
        }
        engineThread = null;
        streaming = false;
    }

    /** What this replica's relay is doing now. */
    public Role role() {
        return role;
    }

    /** True while this replica holds the lease and streams changes. */
    public boolean running() {
        return role == Role.ACTIVE && streaming;
    }

    /** True when this replica has held the lease for longer than it may take to start streaming. */
    public boolean stalled() {
        return role == Role.ACTIVE && !streaming
                && System.nanoTime() - activeSinceNanos > TimeUnit.MILLISECONDS.toNanos(2 * config.leaseMs());
    }

    public String failure() {
        return failure;
    }

    /** Who holds the lease while this replica stands by. */
    public String otherHolder() {
        return otherHolder;
    }

    public String instanceId() {
        return lease.holder();
    }

    private void publish(List<OutboxStream.Row> rows) throws InterruptedException {
        List<Outgoing> records = new ArrayList<>(rows.size());
        for (OutboxStream.Row row : rows) {
            records.add(toRecord(row));
        }
        sendUntilAcknowledged(records);
    }

    /** An event on its way to Kafka; {@code span} is null when the change that wrote it was not traced. */
    private record Outgoing(CloudEvent event, ProducerRecord<String, String> record, Span span) {

        void published(Throwable failure) {
            if (span != null) {
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                span.end();
            }
        }
    }

    private Outgoing toRecord(OutboxStream.Row row) {
        String key = row.get("aggregate_id");
        CloudEvent event = new CloudEvent(row.get("id"), config.source(), row.get("event_type"), key,
                timestamptz(row.get("occurred_at")), row.get("payload"));
        String topic = row.get("topic") != null ? row.get("topic") : config.topic();
        // The event is published in the trace of the change that wrote it, as a child of that change.
        Context change = EventTraces.fromTraceparent(row.get("traceparent"));
        if (!Span.fromContext(change).getSpanContext().isValid()) {
            return new Outgoing(event, CloudEventRecords.toRecord(topic, key, event, Context.root()), null);
        }
        Span span = tracer.spanBuilder(topic + " publish").setParent(change).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.message.id", event.id())
                .setAttribute("cloudevents.event_type", event.type())
                .setAttribute("outbox.slot", config.slot())
                .startSpan();
        return new Outgoing(event, CloudEventRecords.toRecord(topic, key, event, change.with(span)), span);
    }

    /**
     * Kafka being away stalls the relay; it never skips an event. An event the broker can never
     * take (too large, say) goes to dead-letters with the reason, and publishing goes on.
     */
    private void sendUntilAcknowledged(List<Outgoing> records) throws InterruptedException {
        long backoff = 100;
        List<Outgoing> pending = records;
        while (!pending.isEmpty()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(pending.size());
            pending.forEach(r -> sent.add(producer.producer().send(r.record())));
            List<Outgoing> retry = new ArrayList<>();
            Throwable transientFailure = null;
            for (int i = 0; i < pending.size(); i++) {
                Outgoing outgoing = pending.get(i);
                try {
                    sent.get(i).get();
                    outgoing.published(null);
                    published.increment();
                    lastPublishedEventMillis.set(outgoing.event().time().toInstant().toEpochMilli());
                } catch (ExecutionException e) {
                    if (neverPublishable(e.getCause())) {
                        outgoing.published(e.getCause());
                        deadLetter(outgoing, e.getCause());
                    } else {
                        retry.add(outgoing);
                        transientFailure = e.getCause();
                    }
                }
            }
            pending = retry;
            if (!pending.isEmpty()) {
                if (stopping || engine == null) {
                    throw new InterruptedException("relay stopping with " + pending.size() + " events unpublished");
                }
                Log.warnf("Publishing %d outbox events failed, retrying in %d ms: %s", pending.size(), backoff,
                        transientFailure);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    static boolean neverPublishable(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException || error instanceof SerializationException;
    }

    private void deadLetter(Outgoing outgoing, Throwable reason) throws InterruptedException {
        String why = "not publishable: " + reason.getClass().getSimpleName() + ": " + reason.getMessage();
        try {
            deadLetters.sendUnpublishable(outgoing.record().topic(), outgoing.record().key(), outgoing.event(), why)
                    .await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            // The dead-letter topic is away too: wait as for any outage, never skip.
            Thread.sleep(1_000);
            throw new IllegalStateException("dead-lettering event " + outgoing.event().id() + " failed", e);
        }
    }

    /** PostgreSQL's text form of a timestamptz ("2026-12-07 05:53:00.123+00") as a date-time. */
    static OffsetDateTime timestamptz(String text) {
        String iso = text.replace(' ', 'T');
        // The offset comes as +HH, +HH:MM or +HH:MM:SS; ISO wants at least +HH:MM.
        if (iso.matches(".*[+-]\\d{2}$")) {
            iso += ":00";
        }
        return OffsetDateTime.parse(iso);
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
