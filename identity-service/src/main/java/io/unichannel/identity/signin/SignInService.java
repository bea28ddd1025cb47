package io.unichannel.identity.signin;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Channels;
import io.unichannel.identity.Actor;
import io.unichannel.identity.Blocking;
import io.unichannel.identity.Hashing;
import io.unichannel.identity.customer.ChannelIdentity;
import io.unichannel.identity.customer.Customer;
import io.unichannel.identity.customer.CustomerService;
import io.unichannel.identity.customer.IdentityEvents;
import io.unichannel.identity.customer.IdentityType;
import io.unichannel.identity.keycloak.KeycloakTokens;
import io.unichannel.identity.signin.SignInRecords.OtpChallenge;
import io.unichannel.identity.signin.SignInRecords.SignInAudit;
import io.unichannel.identity.signin.SignInRecords.SignInGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Channel sign-in: identity-service verifies the customer the way the channel can (WeChat openid
 * from the adapter, a one-time code or the service password on hotline and SMS, an ID document
 * checked by an agent at the counter) and Keycloak issues the token for that channel's client,
 * with the customer's one subject. Failed verifications count per flow and phone number; at the
 * limit the flow locks for a while, whatever code or password is tried next.
 */
@ApplicationScoped
public class SignInService {

    public static final String FLOW_WECHAT = "wechat-openid";
    public static final String FLOW_OTP = "one-time-code";
    public static final String FLOW_SERVICE_PASSWORD = "service-password";
    public static final String FLOW_COUNTER = "counter-id-check";
    public static final String FLOW_BIND = "bind-msisdn";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CustomerService customers;
    private final KeycloakTokens tokens;
    private final IdentityEvents events;
    private final Hashing hashing;
    private final SealedSecrets seal;
    private final SignInConfig config;

    public SignInService(CustomerService customers, KeycloakTokens tokens, IdentityEvents events, Hashing hashing,
            SignInConfig config, @ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.customers = customers;
        this.tokens = tokens;
        this.events = events;
        this.hashing = hashing;
        this.config = config;
        this.seal = new SealedSecrets(sealKey);
    }

    /** A code on its way to the customer's phone. */
    public record Challenge(UUID challengeId, String sentTo, OffsetDateTime expiresAt) {
    }

    /** The WeChat adapter presents the openid WeChat gave it for this customer. */
    public Uni<Map<String, Object>> wechat(String openId, Actor adapter) {
        return customers.resolve(IdentityType.WECHAT_OPEN_ID, openId)
                .chain(customer -> issue(customer, adapter, FLOW_WECHAT, null));
    }

    /** Sends a one-time code to the customer behind this number, through the notifications topic. */
    public Uni<Challenge> startOneTimeCode(String msisdn, Actor adapter) {
        return customers.resolve(IdentityType.MSISDN, msisdn)
                .chain(customer -> sendCode(FLOW_OTP, OtpChallenge.PURPOSE_SIGN_IN, customer.id, msisdn, adapter.channel()))
                .invoke(c -> Log.infof("One-time code %s sent to %s for %s", c.challengeId(), c.sentTo(), adapter.clientId()));
    }

    /**
     * Sends a one-time code to a number the customer wants to bind, to prove it is theirs. The
     * answer is the same whether the number is free, the customer's own or someone else's: nobody
     * learns who a number belongs to by asking.
     */
    public Uni<Challenge> startBindingProof(String customerId, String msisdn, Actor actor) {
        return sendCode(FLOW_BIND, OtpChallenge.PURPOSE_BIND, customerId, msisdn,
                actor.channel() != null ? actor.channel() : Channels.APP)
                .invoke(c -> Log.infof("Binding proof %s sent to %s for customer %s", c.challengeId(), c.sentTo(), customerId));
    }

    /**
     * A new code for this number, sealed on its way to the SMS sender, within the number's resend
     * and hourly limits; the number's codes older than two hours are removed on the way.
     */
    private Uni<Challenge> sendCode(String flow, String purpose, String customerId, String msisdn, String channel) {
        OffsetDateTime now = now();
        return Panache.withTransaction(() -> requireUnlocked(flow, msisdn, now)
                .chain(() -> OtpChallenge.delete("msisdn = ?1 and createdAt < ?2", msisdn, now.minusHours(2)))
                .chain(() -> OtpChallenge.find("msisdn = ?1 order by createdAt desc", msisdn).<OtpChallenge>firstResult())
                .chain(last -> {
                    if (last != null && last.createdAt.plus(config.otp().resendInterval()).isAfter(now)) {
                        return Uni.createFrom().failure(tooMany("A code was sent moments ago; wait before asking again.",
                                Duration.between(now, last.createdAt.plus(config.otp().resendInterval()))));
                    }
                    return OtpChallenge.count("msisdn = ?1 and createdAt > ?2", msisdn, now.minusHours(1));
                })
                .chain(sentLastHour -> {
                    if (sentLastHour >= config.otp().maxPerHour()) {
                        return Uni.createFrom().failure(tooMany("Too many codes for this number in the last hour.",
                                Duration.ofMinutes(10)));
                    }
                    String code = newCode();
                    OtpChallenge challenge = new OtpChallenge();
                    challenge.id = UUID.randomUUID();
                    challenge.msisdn = msisdn;
                    challenge.channel = channel;
                    challenge.customerId = customerId;
                    challenge.purpose = purpose;
                    challenge.codeHash = codeHash(challenge.id, code);
                    challenge.createdAt = now;
                    challenge.expiresAt = now.plus(config.otp().ttl());
                    var notification = events.oneTimeCode(customerId, Channels.SMS, seal.seal(code), seal.seal(msisdn),
                            Masking.msisdn(msisdn), now, challenge.expiresAt);
                    return Panache.getSession().chain(s -> s.persistAll(challenge, notification))
                            .replaceWith(new Challenge(challenge.id, Masking.msisdn(msisdn), challenge.expiresAt));
                }));
    }

    /**
     * The customer answers a binding proof with the code their phone received: the number is bound
     * to them. A number bound to someone else is refused only now, to a caller who proved it is theirs.
     */
    public Uni<ChannelIdentity> completeBindingProof(String customerId, UUID challengeId, String code, Actor actor) {
        OffsetDateTime now = now();
        return Panache.withTransaction(() -> OtpChallenge.<OtpChallenge>findById(challengeId, LockModeType.PESSIMISTIC_WRITE)
                .chain(challenge -> {
                    if (challenge == null || !OtpChallenge.PURPOSE_BIND.equals(challenge.purpose)
                            || !challenge.customerId.equals(customerId)) {
                        return Uni.createFrom().failure(new ProblemException(ProblemTypes.NOT_FOUND, "No such code", 404,
                                "There is no binding proof " + challengeId + " for this customer."));
                    }
                    return requireUnlocked(FLOW_BIND, challenge.msisdn, now).chain(() -> {
                        if (challenge.usedAt != null || !challenge.expiresAt.isAfter(now)) {
                            return Uni.createFrom().item(new Proof(null, Outcome.expired(challenge.usedAt != null)));
                        }
                        if (!Hashing.same(codeHash(challenge.id, code), challenge.codeHash)) {
                            challenge.attempts++;
                            return recordFailure(FLOW_BIND, challenge.msisdn, now).map(o -> new Proof(null, o));
                        }
                        challenge.usedAt = now;
                        // a used code keeps no trace of itself (the row stays for the resend limits)
                        challenge.codeHash = "used";
                        return clearFailures(FLOW_BIND, challenge.msisdn)
                                .replaceWith(new Proof(challenge.msisdn, Outcome.verified(customerId)));
                    });
                }))
                .chain(proof -> proof.outcome().then(id -> customers.bind(customerId, IdentityType.MSISDN, proof.msisdn(),
                        actor, "proved with a one-time code")));
    }

    private record Proof(String msisdn, Outcome outcome) {
    }

    /** Checks a one-time code; the right one, in time and before the lock, signs the customer in. */
    public Uni<Map<String, Object>> verifyOneTimeCode(UUID challengeId, String code, Actor adapter) {
        OffsetDateTime now = now();
        return Panache.withTransaction(() -> OtpChallenge.<OtpChallenge>findById(challengeId, LockModeType.PESSIMISTIC_WRITE)
                .chain(challenge -> {
                    if (challenge == null || !challenge.channel.equals(adapter.channel())
                            || !OtpChallenge.PURPOSE_SIGN_IN.equals(challenge.purpose)) {
                        return Uni.createFrom().failure(new ProblemException(ProblemTypes.NOT_FOUND, "No such code", 404,
                                "There is no one-time code " + challengeId + " for this channel."));
                    }
                    return requireUnlocked(FLOW_OTP, challenge.msisdn, now).chain(() -> {
                        if (challenge.usedAt != null || !challenge.expiresAt.isAfter(now)) {
                            return Uni.createFrom().item(Outcome.expired(challenge.usedAt != null));
                        }
                        if (!Hashing.same(codeHash(challenge.id, code), challenge.codeHash)) {
                            challenge.attempts++;
                            return recordFailure(FLOW_OTP, challenge.msisdn, now);
                        }
                        challenge.usedAt = now;
                        // a used code keeps no trace of itself (the row stays for the resend limits)
                        challenge.codeHash = "used";
                        return clearFailures(FLOW_OTP, challenge.msisdn).replaceWith(Outcome.verified(challenge.customerId));
                    });
                }))
                .chain(outcome -> outcome.then(customerId -> customers.current(customerId)
                        .chain(customer -> issue(customer, adapter, FLOW_OTP, null))));
    }

    /** Hotline and SMS: the six-digit service password instead of a code. */
    public Uni<Map<String, Object>> servicePassword(String msisdn, String password, Actor adapter) {
        OffsetDateTime now = now();
        return customers.resolve(IdentityType.MSISDN, msisdn).chain(customer -> Panache.withSession(
                () -> requireUnlocked(FLOW_SERVICE_PASSWORD, msisdn, now))
                .chain(() -> Blocking.call(() -> hashing.passwordMatches(password, customer.servicePasswordHash)))
                .chain(matches -> Panache.withTransaction(() -> matches
                        ? clearFailures(FLOW_SERVICE_PASSWORD, msisdn).replaceWith(Outcome.verified(customer.id))
                        : recordFailure(FLOW_SERVICE_PASSWORD, msisdn, now)))
                .chain(outcome -> outcome.then(id -> issue(customer, adapter, FLOW_SERVICE_PASSWORD, null))));
    }

    /** Store counter: the agent checked the customer's ID document; the session records the agent. */
    public Uni<Map<String, Object>> counter(String msisdn, String idNumber, Actor agent) {
        OffsetDateTime now = now();
        String presented = customers.stored(IdentityType.ID_DOCUMENT, idNumber);
        return customers.resolve(IdentityType.MSISDN, msisdn).chain(customer -> Panache.withTransaction(
                () -> requireUnlocked(FLOW_COUNTER, msisdn, now)
                        .chain(() -> ChannelIdentity.count("customerId = ?1 and identityType = ?2 and externalId = ?3",
                                customer.id, IdentityType.ID_DOCUMENT.apiName(), presented))
                        .chain(matches -> matches > 0
                                ? clearFailures(FLOW_COUNTER, msisdn).replaceWith(Outcome.verified(customer.id))
                                : recordFailure(FLOW_COUNTER, msisdn, now)))
                .chain(outcome -> outcome.then(id -> issue(customer, agent, FLOW_COUNTER, agent))));
    }

    /** The customer's recent sign-ins that identity-service vouched for. */
    public Uni<List<SignInAudit>> audit(String customerId, int offset, int limit) {
        return Panache.withSession(() -> SignInAudit.<SignInAudit>find("customerId = ?1 order by signedInAt desc", customerId)
                .range(offset, offset + limit - 1).list());
    }

    private Uni<Map<String, Object>> issue(Customer customer, Actor caller, String flow, Actor agent) {
        String channel = caller.channel();
        return Blocking.call(() -> tokens.issue(caller.clientId(), customer.id, channel))
                .call(token -> Panache.withTransaction(() -> {
                    SignInAudit audit = new SignInAudit();
                    audit.id = UUID.randomUUID();
                    audit.customerId = customer.id;
                    audit.channel = channel;
                    audit.flow = flow;
                    audit.agent = agent == null ? null : agent.subject();
                    audit.agentName = agent == null ? null : agent.auditName();
                    audit.signedInAt = now();
                    return audit.persist();
                }))
                .invoke(() -> Log.infof("Customer %s signed in on %s by %s%s", customer.id, channel, flow,
                        agent == null ? "" : " (agent " + agent.auditName() + ")"));
    }

    private Uni<Void> requireUnlocked(String flow, String msisdn, OffsetDateTime now) {
        return SignInGuard.<SignInGuard>findById(SignInGuard.id(flow, msisdn)).chain(guard -> {
            if (guard != null && guard.lockedUntil != null && guard.lockedUntil.isAfter(now)) {
                return Uni.createFrom().failure(locked(Duration.between(now, guard.lockedUntil)));
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** Counts a failure (within the caller's transaction); the one that reaches the limit locks the flow. */
    private Uni<Outcome> recordFailure(String flow, String msisdn, OffsetDateTime now) {
        String key = SignInGuard.id(flow, msisdn);
        return SignInGuard.<SignInGuard>findById(key, LockModeType.PESSIMISTIC_WRITE).chain(found -> {
            SignInGuard guard = found;
            Uni<?> save = Uni.createFrom().voidItem();
            if (guard == null) {
                guard = new SignInGuard();
                guard.id = key;
                guard.flow = flow;
                guard.subjectKey = msisdn;
                save = guard.persist();
            }
            if (guard.lockedUntil != null && !guard.lockedUntil.isAfter(now)) {
                guard.failures = 0; // an earlier lock has run out: start counting again
                guard.lockedUntil = null;
            }
            guard.failures++;
            guard.updatedAt = now;
            int remaining = config.guard().maxFailures() - guard.failures;
            if (remaining <= 0) {
                guard.lockedUntil = now.plus(config.guard().lockDuration());
                Log.warnf("Sign-in flow %s locked for %s until %s after %d failures", flow, Masking.msisdn(msisdn),
                        guard.lockedUntil, guard.failures);
            }
            return save.replaceWith(remaining <= 0 ? Outcome.locked(config.guard().lockDuration()) : Outcome.failed(remaining));
        });
    }

    private Uni<Void> clearFailures(String flow, String msisdn) {
        return SignInGuard.deleteById(SignInGuard.id(flow, msisdn)).replaceWithVoid();
    }

    private String codeHash(UUID challengeId, String code) {
        return hashing.keyed("one-time-code", challengeId + ":" + code);
    }

    private String newCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < config.otp().length(); i++) {
            code.append(RANDOM.nextInt(10));
        }
        return code.toString();
    }

    /**
     * What a verification came to, decided inside its transaction; failures are answered only
     * after the transaction committed the failure count.
     */
    private record Outcome(String customerId, Problem problem) {
        static Outcome verified(String customerId) {
            return new Outcome(customerId, null);
        }

        static Outcome failed(int remaining) {
            return new Outcome(null, new Problem(ProblemTypes.VERIFICATION_FAILED, "Verification failed", 400,
                    "The code, password or document did not match.").with("remainingAttempts", remaining));
        }

        static Outcome locked(Duration lock) {
            return new Outcome(null, lockedProblem(lock));
        }

        static Outcome expired(boolean used) {
            return new Outcome(null, new Problem(ProblemTypes.CODE_EXPIRED, "Code expired", 400, used
                    ? "This code was already used; ask for a new one." : "This code has expired; ask for a new one."));
        }

        <T> Uni<T> then(java.util.function.Function<String, Uni<T>> onVerified) {
            return problem == null ? onVerified.apply(customerId) : Uni.createFrom().failure(new ProblemException(problem));
        }
    }

    private static ProblemException locked(Duration remaining) {
        return new ProblemException(lockedProblem(remaining));
    }

    private static Problem lockedProblem(Duration remaining) {
        long seconds = Math.max(1, remaining.toSeconds());
        return new Problem(ProblemTypes.SIGN_IN_LOCKED, "Sign-in locked", 429,
                "Too many failed attempts; this sign-in is locked for this number. Try again later.")
                .with("retryAfterSeconds", seconds);
    }

    private static ProblemException tooMany(String detail, Duration retryAfter) {
        return new ProblemException(new Problem(ProblemTypes.TOO_MANY_REQUESTS, "Too many codes", 429, detail)
                .with("retryAfterSeconds", Math.max(1, retryAfter.toSeconds())));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
