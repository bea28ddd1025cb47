package io.unichannel.ticket.routing;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.unichannel.ticket.StaffScope;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Routing queue depths for Prometheus: tickets waiting for an agent, offers out, and how long the
 * oldest has waited, per queue. Read from PostgreSQL (the queues every replica shares) every
 * {@code ticket.routing.gauge-interval}; every replica reports the same numbers, so dashboards take
 * the max across replicas. One series per queue of the routing policy, zero until it fills.
 */
@ApplicationScoped
public class RoutingQueueGauges {

    private record Depth(AtomicLong waiting, AtomicLong offered, AtomicLong oldestSeconds) {
    }

    private final RoutingService routing;
    private final MeterRegistry registry;
    private final Map<String, Depth> queues = new ConcurrentHashMap<>();

    public RoutingQueueGauges(RoutingService routing, RoutingPolicies policies, MeterRegistry registry) {
        this.routing = routing;
        this.registry = registry;
        policies.current().queues().forEach(q -> depth(q.name()));
    }

    private Depth depth(String queue) {
        return queues.computeIfAbsent(queue, name -> {
            Depth d = new Depth(new AtomicLong(), new AtomicLong(), new AtomicLong());
            Gauge.builder("ticket.routing.queue.waiting", d.waiting(), AtomicLong::get).tag("queue", name)
                    .description("Tickets waiting in the queue with no offer out").register(registry);
            Gauge.builder("ticket.routing.queue.offered", d.offered(), AtomicLong::get).tag("queue", name)
                    .description("Tickets of the queue offered to an agent, not yet accepted").register(registry);
            Gauge.builder("ticket.routing.queue.oldest.seconds", d.oldestSeconds(), AtomicLong::get).tag("queue", name)
                    .description("How long the oldest ticket in the queue has waited").register(registry);
            return d;
        });
    }

    @Scheduled(every = "${ticket.routing.gauge-interval:15s}", delayed = "${ticket.routing.start-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return routing.overview(new StaffScope(true, null, null)).invoke(overview -> {
            OffsetDateTime now = OffsetDateTime.now();
            queues.values().forEach(d -> {
                d.waiting().set(0);
                d.offered().set(0);
                d.oldestSeconds().set(0);
            });
            for (RoutingService.QueueDepth q : overview.queues()) {
                Depth d = depth(q.queue());
                d.waiting().set(q.waiting());
                d.offered().set(q.offered());
                d.oldestSeconds().set(q.oldestSince() == null ? 0 : Math.max(0, Duration.between(q.oldestSince(), now).toSeconds()));
            }
        }).replaceWithVoid().onFailure().invoke(e -> Log.debugf("Routing queue gauges not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
