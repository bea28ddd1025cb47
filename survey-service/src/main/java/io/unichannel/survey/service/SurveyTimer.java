package io.unichannel.survey.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends due invitations and reminders and expires unanswered ones. The timer ticks each second but
 * looks in the database only when something is due (the earliest due time it saw, or one this
 * replica just scheduled) or every safety interval (30 s); rows are claimed with SKIP LOCKED, so replicas share the work and each fires once. Anything due while every
 * replica was down fires as soon as one is back (the due times stay in the rows).
 *
 * <p>Batches are small (50 rows, one transaction each) so a catch-up after an outage never holds
 * the event loop long enough to fail health checks; many batches per poll keep it fast.
 */
@ApplicationScoped
public class SurveyTimer {

    private final InvitationService invitations;
    private final int batch;

    public SurveyTimer(InvitationService invitations, @ConfigProperty(name = "survey.timer.batch", defaultValue = "50") int batch) {
        this.invitations = invitations;
        this.batch = batch;
    }

    @Scheduled(every = "${survey.timer.poll-interval:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!invitations.due().startLook()) {
            return Uni.createFrom().voidItem();
        }
        return drain(0).chain(() -> invitations.remindDue(batch)).chain(() -> invitations.expireDue(batch))
                .chain(invitations::nextDue).invoke(next -> invitations.due().looked(next)).replaceWithVoid()
                .onFailure().invoke(e -> {
                    invitations.due().again();
                    Log.warnf("Survey timer: due work failed (%s); next poll retries", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    private Uni<Void> drain(int round) {
        return invitations.sendDue(batch).chain(sent -> sent == batch && round < 200 ? drain(round + 1) : Uni.createFrom().voidItem());
    }
}
