package io.unichannel.ticket.sla;

import java.util.Optional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fires due SLA stages. The timer ticks each second but looks in the database only when a stage is
 * due (the earliest due time it saw, or one this replica just set) or every safety interval (30 s),
 * so at rest it costs one query per half minute, whatever the number of open tickets. Tickets are
 * claimed with SKIP LOCKED, so replicas share the work and a stage fires once. A stage due while
 * every replica was down fires as soon as one is back (its due time stays in the ticket).
 *
 * <p>A batch is one transaction built on the event loop, so it is kept small (50 tickets): after an
 * outage thousands of stages may be due at once, and a 500-ticket batch held the event loop for
 * tens of seconds, long enough for health checks to time out and Kafka rebalances to stall. The
 * event loop serves other work between batches; many batches per poll keep the catch-up fast.
 */
@ApplicationScoped
public class SlaTimer {

    private final SlaService sla;
    private final SlaRules rules;
    private final int batch;
    private final int maxBatches;

    public SlaTimer(SlaService sla, SlaRules rules, @ConfigProperty(name = "ticket.sla.batch", defaultValue = "50") int batch,
            @ConfigProperty(name = "ticket.sla.max-batches-per-poll", defaultValue = "400") int maxBatches) {
        this.sla = sla;
        this.rules = rules;
        this.batch = batch;
        this.maxBatches = maxBatches;
    }

    @Scheduled(every = "${ticket.sla.poll-interval:1s}", delayed = "${ticket.sla.start-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        Uni<Void> fired = sla.due().startLook()
                ? fire(0).chain(sla::nextStageAt).invoke(next -> sla.due().looked(next)).replaceWithVoid()
                        .onFailure().invoke(e -> {
                            sla.due().again();
                            Log.warnf("SLA timer: firing due stages failed (%s); next poll retries", e.getMessage());
                        }).onFailure().recoverWithNull()
                : Uni.createFrom().voidItem();
        return fired.chain(() -> rules.takeRecalendar().map(previous -> recalendar(previous, "")).orElse(Uni.createFrom().voidItem()));
    }

    private Uni<Void> fire(int round) {
        return sla.fireDue(batch).chain(claimed -> claimed == batch && round + 1 < maxBatches
                ? fire(round + 1) : Uni.createFrom().voidItem());
    }

    private Uni<Void> recalendar(SlaPolicySet previous, String after) {
        return sla.recalendar(previous, after, batch).chain((Optional<String> last) -> last.isPresent()
                ? recalendar(previous, last.get()) : Uni.createFrom().voidItem())
                .onFailure().invoke(e -> Log.errorf("SLA timer: moving deadlines to the new calendar stopped at %s: %s",
                        after, e.getMessage()));
    }
}
