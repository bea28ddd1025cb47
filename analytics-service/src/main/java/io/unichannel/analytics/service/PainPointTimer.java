package io.unichannel.analytics.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every replica checks on this beat: pain points to open (threshold reached), plans and pilots past
 * due, months to verify. Each step is one atomic statement per pain point (a unique month, node and
 * department; an UPDATE that sets the warning only where it is unset; a row lock skipped by others),
 * so replicas share the beat and each thing happens once. What fell due while every replica was
 * down happens as soon as one is back.
 */
@ApplicationScoped
public class PainPointTimer {

    private final PainPoints painPoints;

    public PainPointTimer(PainPoints painPoints) {
        this.painPoints = painPoints;
    }

    @Scheduled(every = "${analytics.pain-points.check-every}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return painPoints.openDue(now)
                .invoke(opened -> {
                    if (opened > 0) {
                        Log.infof("Opened %d pain point(s) whose signals reached the threshold", opened);
                    }
                })
                .chain(() -> painPoints.warnOverdue(now))
                .chain(() -> painPoints.verifyDue(now))
                .replaceWithVoid()
                .onFailure().invoke(e -> Log.warnf("Pain-point check failed (%s); the next beat retries", e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
