package io.unichannel.identity.signin;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.unichannel.identity.signin.SignInRecords.OtpChallenge;
import io.unichannel.identity.signin.SignInRecords.SignInGuard;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One-time codes leave nothing usable behind: a code's hash is wiped the moment it is used (see
 * {@link SignInService}) and, by this sweep, once it has expired unused; a challenge is deleted two
 * hours after it was made (its number's hourly quota no longer counts it), and a lapsed lock with
 * it. Every replica may sweep; the statements are idempotent.
 */
@ApplicationScoped
public class OneTimeCodeSweep {

    static final String EXPIRED = "expired";

    @Scheduled(every = "${identity.sign-in.otp.sweep-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @WithTransaction
    Uni<Void> sweep() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return OtpChallenge.update("codeHash = ?1 where expiresAt < ?2 and usedAt is null and codeHash <> ?1", EXPIRED, now)
                .chain(wiped -> OtpChallenge.delete("createdAt < ?1", now.minusHours(2))
                        .chain(deleted -> SignInGuard.delete("lockedUntil is not null and lockedUntil < ?1", now.minusHours(2)))
                        .invoke(guards -> {
                            if (wiped > 0 || guards > 0) {
                                Log.debugf("One-time codes: %d expired codes wiped, %d lapsed locks removed", wiped, guards);
                            }
                        }))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("One-time code sweep failed, trying again next time: %s", e.toString());
                    return null;
                });
    }
}
