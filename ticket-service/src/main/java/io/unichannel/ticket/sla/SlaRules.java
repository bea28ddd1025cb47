package io.unichannel.ticket.sla;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SLA rules in force: the shipped defaults, or the operator's file ({@code ticket.sla.policies-file},
 * a ConfigMap in Kubernetes), read again whenever it changes. A file that does not pass every
 * check is refused whole and the rules in force stay; a calendar change moves the live deadlines.
 */
@ApplicationScoped
public class SlaRules {

    static final String DEFAULTS = "/sla-policies.json";

    private final Optional<Path> file;
    private final MeterRegistry metrics;
    private final AtomicReference<SlaEngine> engine = new AtomicReference<>();
    private final AtomicReference<SlaPolicySet> pendingRecalendar = new AtomicReference<>();
    private volatile long readModified = -1;

    public SlaRules(@ConfigProperty(name = "ticket.sla.policies-file") Optional<String> file, MeterRegistry metrics) {
        this.file = file.filter(f -> !f.isBlank()).map(Path::of);
        this.metrics = metrics;
        engine.set(new SlaEngine(readInitial()));
        metrics.gauge("ticket.sla.rules.loaded", this, r -> 1);
    }

    private SlaPolicySet readInitial() {
        if (file.isPresent() && !Files.exists(file.get())) {
            // Kubernetes mounts the operator's ConfigMap only once it exists; until then the defaults hold.
            Log.warnf("SLA policies file %s does not exist (yet): the shipped defaults are in force until it appears",
                    file.get());
        }
        if (file.isEmpty() || !Files.exists(file.get())) {
            try (InputStream in = SlaRules.class.getResourceAsStream(DEFAULTS)) {
                return SlaPolicySet.read(in);
            } catch (IOException e) {
                throw new IllegalStateException("the shipped SLA policies cannot be read", e);
            }
        }
        try {
            SlaPolicySet rules = readFile(file.get());
            Log.infof("SLA policies %s read from %s", rules.version(), file.get());
            return rules;
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException("SLA policies in " + file.get() + " refused: " + e.getMessage(), e);
        }
    }

    private SlaPolicySet readFile(Path path) throws IOException {
        long modified = Files.getLastModifiedTime(path).toMillis();
        try (InputStream in = Files.newInputStream(path)) {
            SlaPolicySet rules = SlaPolicySet.read(in);
            readModified = modified;
            return rules;
        }
    }

    public SlaEngine engine() {
        return engine.get();
    }

    /** Reads the operator's file again when it changed since it was last read. */
    @Scheduled(every = "${ticket.sla.reload-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadIfChanged() {
        if (file.isEmpty() || !Files.exists(file.get())) {
            return;
        }
        try {
            if (Files.getLastModifiedTime(file.get()).toMillis() == readModified) {
                return;
            }
        } catch (IOException e) {
            Log.warnf("SLA policies file %s cannot be read (%s); the rules in force stay", file.get(), e.getMessage());
            return;
        }
        reload();
    }

    /** Reads the file now; returns whether new rules took effect. */
    public boolean reload() {
        SlaPolicySet next;
        try {
            next = readFile(file.orElseThrow(() -> new IllegalStateException("no policies file is configured")));
        } catch (IllegalArgumentException | IOException e) {
            metrics.counter("ticket.sla.rules.refused").increment();
            Log.errorf("SLA policies in %s refused, the rules in force stay: %s", file.get(), e.getMessage());
            return false;
        }
        SlaPolicySet previous = engine.getAndSet(new SlaEngine(next)).rules();
        metrics.counter("ticket.sla.rules.reloaded").increment();
        Log.infof("SLA policies %s in force (were %s)", next.version(), previous.version());
        if (!previous.calendars().equals(next.calendars())) {
            pendingRecalendar.compareAndSet(null, previous);
        }
        return true;
    }

    /** The rules in force before a calendar changed, once, for moving live deadlines. */
    public Optional<SlaPolicySet> takeRecalendar() {
        return Optional.ofNullable(pendingRecalendar.getAndSet(null));
    }

}
