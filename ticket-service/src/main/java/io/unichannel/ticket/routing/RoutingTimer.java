package io.unichannel.ticket.routing;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Routes due tickets. The timer ticks each second but looks in the database only when a ticket is
 * due a look (the earliest next check it saw, or a change of this replica's that may route one) or
 * every safety interval (30 s). Rows are claimed with SKIP LOCKED,
 * so replicas share the work and a ticket is routed by one of them at a time. A timeout that fell
 * due while every replica was down is acted on as soon as one is back (it is a time in the row).
 *
 * <p>Batches are small (50 rows, one transaction each) so a catch-up after an outage never holds
 * the event loop long enough to fail health checks; many batches per poll keep it fast.
 */
@ApplicationScoped
public class RoutingTimer {

    private final RoutingService routing;
    private final int batch;
    private final int maxBatches;

    public RoutingTimer(RoutingService routing, @ConfigProperty(name = "ticket.routing.batch", defaultValue = "50") int batch,
            @ConfigProperty(name = "ticket.routing.max-batches-per-poll", defaultValue = "80") int maxBatches) {
        this.routing = routing;
        this.batch = batch;
        this.maxBatches = maxBatches;
    }

    @Scheduled(every = "${ticket.routing.poll-interval:1s}", delayed = "${ticket.routing.start-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!routing.due().startLook()) {
            return Uni.createFrom().voidItem();
        }
        return round(0).chain(routing::nextCheckAt).invoke(next -> routing.due().looked(next)).replaceWithVoid()
                .onFailure().invoke(e -> {
                    routing.due().again();
                    Log.warnf("Routing: a round failed (%s); the next poll retries", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    private Uni<Void> round(int n) {
        return routing.routeDue(batch).chain(seen -> seen == batch && n + 1 < maxBatches ? round(n + 1) : Uni.createFrom().voidItem());
    }
}
