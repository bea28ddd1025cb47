package io.unichannel.ticket.hub;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.outbox.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Delivers pending hub deliveries to partners' callbacks. Every replica polls; a delivery is
 * claimed with a lease (SKIP LOCKED), so each is sent by one replica at a time, and only the
 * earliest pending delivery of a ticket for a subscription is claimable, so a partner receives a
 * ticket's events in order even while an earlier one is being retried. A 2xx marks it delivered;
 * anything else is retried with exponential backoff (the schedule lives in PostgreSQL, so it
 * survives restarts), and after the retry budget the delivery is dead: it stops holding the
 * ticket's later events back, goes to dead-letters through the outbox, and stays in the
 * subscription's log until the partner asks for it again. Each callback has its own circuit
 * breaker (SmallRye Fault Tolerance), so one failing partner costs the others nothing; while its
 * circuit is open its deliveries wait without spending their budget.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class HubDeliverer {

    private final HubDeliveryConfig config;
    private final Map<String, TypedGuard<Uni<Integer>>> breakers = new ConcurrentHashMap<>();
    private final Map<String, HubCallbackClient> clients = new ConcurrentHashMap<>();
    private final CallbackPolicy policy;
    private final io.unichannel.common.privacy.SealedSecrets sealed;
    private final Timer latency;
    private final MeterRegistry meters;

    /** When a delivery is next due; every delivery this replica records wakes it. */
    private final io.unichannel.common.timing.DueWork due;

    public HubDeliverer(HubDeliveryConfig config, MeterRegistry meters,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "ticket.hub.safety-look", defaultValue = "30s")
            java.time.Duration safetyLook) {
        this.due = new io.unichannel.common.timing.DueWork(safetyLook);
        this.config = config;
        this.policy = new CallbackPolicy(config.allowPrivateCallbacks());
        this.sealed = new io.unichannel.common.privacy.SealedSecrets(config.secretKey());
        this.meters = meters;
        this.latency = Timer.builder("ticket.hub.delivery.latency")
                .description("Time from a ticket event's recording for a subscription to the partner's acceptance")
                .publishPercentileHistogram().register(meters);
        for (String outcome : java.util.List.of("delivered", "retried", "dead")) {
            meters.counter("ticket.hub.deliveries", "outcome", outcome);
        }
    }

    /** A claimed delivery with what sending it needs. */
    record Claimed(long id, String subscriptionId, String callback, String secret, String eventId, String eventType, String body,
            int attempts, OffsetDateTime createdAt) {

        /** The TMF621 listener the event goes to: TroubleTicketCreateEvent -> troubleTicketCreateEvent. */
        String listener() {
            if (eventType == null || !eventType.matches("[A-Z][A-Za-z]{1,63}")) {
                throw new IllegalStateException("a hub delivery without a TMF621 event type: " + eventType);
            }
            return Character.toLowerCase(eventType.charAt(0)) + eventType.substring(1);
        }
    }

    @Scheduled(every = "${ticket.hub.poll-interval:1s}", delayed = "${ticket.hub.start-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!due.startLook()) {
            return Uni.createFrom().voidItem();
        }
        return round(0).chain(this::nextAttemptAt).invoke(next -> due.looked(next)).replaceWithVoid()
                .onFailure().invoke(e -> {
                    due.again();
                    Log.warnf("Hub: a delivery round failed (%s); the next poll retries", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    /** Deliveries were recorded here: the timer looks now. */
    public void wake() {
        due.wakeNow();
    }

    /** When the earliest pending delivery may next be attempted (its lease, if any, run out). */
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    Uni<java.time.Instant> nextAttemptAt() {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) FROM hub_delivery "
                        + "WHERE state = 'pending'", Object.class).getSingleResultOrNull())
                .map(io.unichannel.ticket.sla.SlaService::instant);
    }

    private Uni<Void> round(int n) {
        // Calls go out side by side; their outcomes are recorded in small groups, one transaction
        // per group and one group after another: the poll's reactive session belongs to its
        // context and must not be shared by concurrent transactions, and one transaction per
        // outcome would queue behind intake for a database connection each time.
        return claim().chain(claimed -> Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(this::send).merge(config.concurrency())
                .group().intoLists().of(config.concurrency())
                .onItem().transformToUniAndConcatenate(this::record)
                .collect().asList().chain(results -> claimed.size() == config.batch() && n < 20 ? round(n + 1)
                        : Uni.createFrom().voidItem()));
    }

    @WithTransaction
    Uni<List<Claimed>> claim() {
        OffsetDateTime now = now();
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT d.* FROM hub_delivery d WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 "
                        + "AND (d.lease_until IS NULL OR d.lease_until < ?1) AND NOT EXISTS (SELECT 1 FROM hub_delivery e "
                        + "WHERE e.subscription_id = d.subscription_id AND e.ticket_id = d.ticket_id AND e.state = 'pending' "
                        + "AND e.sequence < d.sequence) ORDER BY d.next_attempt_at, d.id LIMIT ?2 FOR UPDATE SKIP LOCKED",
                HubDelivery.class).setParameter(1, now).setParameter(2, config.batch()).getResultList())
                .chain(deliveries -> deliveries.isEmpty() ? Uni.createFrom().item(List.<Claimed>of())
                        : HubSubscription.<HubSubscription>list("id in ?1",
                                deliveries.stream().map(d -> d.subscriptionId).distinct().toList()).map(subs -> {
                                    Map<String, HubSubscription> byId = new java.util.HashMap<>();
                                    subs.forEach(s -> byId.put(s.id, s));
                                    return deliveries.stream().map(d -> {
                                        d.leaseUntil = now.plus(config.lease());
                                        HubSubscription s = byId.get(d.subscriptionId);
                                        return new Claimed(d.id, d.subscriptionId, s.callback, sealed.open(s.secret), d.eventId, d.eventType, d.body,
                                                d.attempts, d.createdAt);
                                    }).toList();
                                }));
    }

    /** What one call to a callback came to: the status it answered, or why it failed. */
    record Outcome(Claimed delivery, Integer status, Throwable failure) {
    }

    private Uni<Void> record(List<Outcome> outcomes) {
        return settle(outcomes).onFailure().invoke(e -> Log.warnf("Hub: could not record the outcome of deliveries %s (%s); "
                + "their leases lapse and they are sent again", outcomes.stream().map(o -> o.delivery().id()).toList(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Outcome> send(Claimed delivery) {
        long timestamp = System.currentTimeMillis() / 1000;
        String signature = HubSignature.header(delivery.secret(), timestamp, delivery.body());
        // The callback is checked again before every delivery (its name may have come to resolve
        // inward since the partner subscribed), off the event loop.
        Uni<Integer> call = Uni.createFrom().deferred(() -> policy.checkAsync(delivery.callback())).chain(uri -> {
            HubCallbackClient client = clients.computeIfAbsent(delivery.callback(), c -> QuarkusRestClientBuilder.newBuilder()
                    .baseUri(uri).connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .property("microprofile.rest.client.disable.default.mapper", true)
                    .build(HubCallbackClient.class));
            return breaker(delivery.callback()).get(() -> client.deliver(delivery.listener(), signature, delivery.eventId(),
                    String.valueOf(delivery.id()), delivery.subscriptionId(), delivery.body())
                    .map(response -> {
                        int status = response.getStatus();
                        response.close();
                        if (status < 200 || status > 299) {
                            throw new CallbackFailed(status, "HTTP " + status);
                        }
                        return status;
                    }));
        });
        return call.onItemOrFailure().transform((status, failure) -> new Outcome(delivery, status, failure));
    }

    private TypedGuard<Uni<Integer>> breaker(String callback) {
        return breakers.computeIfAbsent(callback, c -> TypedGuard.create(new TypeLiteral<Uni<Integer>>() {
        }).withDescription("hub callback").withCircuitBreaker().requestVolumeThreshold(config.breakerVolume())
                .failureRatio(0.75).delay(config.breakerDelay().toMillis(), ChronoUnit.MILLIS).successThreshold(1).done()
                .build());
    }

    @WithTransaction
    Uni<Void> settle(List<Outcome> outcomes) {
        OffsetDateTime now = now();
        Map<Long, Outcome> byId = new java.util.HashMap<>();
        outcomes.forEach(o -> byId.put(o.delivery().id(), o));
        return HubDelivery.<HubDelivery>list("id in ?1", List.copyOf(byId.keySet())).chain(deliveries -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (HubDelivery delivery : deliveries) {
                Outcome outcome = byId.get(delivery.id);
                chain = chain.chain(() -> settle(delivery, outcome.status(), outcome.failure(), now));
            }
            return chain;
        });
    }

    private Uni<Void> settle(HubDelivery delivery, Integer status, Throwable failure, OffsetDateTime now) {
        if (!HubDelivery.PENDING.equals(delivery.state)) {
            return Uni.createFrom().voidItem();
        }
        delivery.leaseUntil = null;
        if (failure == null) {
            delivery.state = HubDelivery.DELIVERED;
            delivery.deliveredAt = now;
            delivery.lastStatus = status;
            delivery.attempts++;
            latency.record(Duration.between(delivery.createdAt, now));
            meters.counter("ticket.hub.deliveries", "outcome", "delivered").increment();
            return Uni.createFrom().voidItem();
        }
        if (failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException) {
            delivery.nextAttemptAt = now.plus(config.breakerDelay());
            delivery.lastError = "circuit open: the callback failed repeatedly; waiting before trying again";
            return Uni.createFrom().voidItem();
        }
        delivery.attempts++;
        delivery.lastStatus = failure instanceof CallbackFailed f ? f.status : null;
        delivery.lastError = describe(failure);
        if (delivery.attempts >= config.maxAttempts()) {
            delivery.state = HubDelivery.DEAD;
            meters.counter("ticket.hub.deliveries", "outcome", "dead").increment();
            Log.warnf("Hub: delivery %d of event %s to subscription %s is dead after %d attempts (%s)", delivery.id,
                    delivery.eventId, delivery.subscriptionId, delivery.attempts, delivery.lastError);
            return Panache.getSession().chain(session -> session.persist(deadLetter(delivery, now)));
        }
        meters.counter("ticket.hub.deliveries", "outcome", "retried").increment();
        long backoff = Math.min(config.maxBackoff().toMillis(),
                config.initialBackoff().toMillis() << Math.min(20, delivery.attempts - 1));
        delivery.nextAttemptAt = now.plus(backoff, ChronoUnit.MILLIS);
        return Uni.createFrom().voidItem();
    }

    private static OutboxEvent deadLetter(HubDelivery delivery, OffsetDateTime now) {
        Map<String, Object> letter = new java.util.LinkedHashMap<>();
        letter.put("originalTopic", Topics.TICKET_EVENTS);
        letter.put("consumer", "ticket-service hub subscription " + delivery.subscriptionId);
        letter.put("reason", "hub delivery failed " + delivery.attempts + " times: " + delivery.lastError);
        letter.put("failedAt", now.toString());
        letter.put("key", delivery.ticketId);
        letter.put("eventId", delivery.eventId);
        letter.put("eventType", delivery.eventType);
        String body;
        try {
            body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(letter);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return OutboxEvent.of(java.util.UUID.randomUUID(), "HubDelivery", delivery.ticketId, EventTypes.DEAD_LETTER, now, body)
                .to(Topics.DEAD_LETTERS);
    }

    private static String describe(Throwable failure) {
        String text = failure instanceof CallbackFailed f ? f.getMessage()
                : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return text.length() > 300 ? text.substring(0, 300) : text;
    }

    /** Forgets the client and breaker of a callback no subscription uses any more. */
    void forget(String callback) {
        clients.remove(callback);
        breakers.remove(callback);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    /** A callback answered with a status outside 2xx. */
    static final class CallbackFailed extends WebApplicationException {
        final int status;

        CallbackFailed(int status, String message) {
            super(message, Response.Status.BAD_GATEWAY);
            this.status = status;
        }
    }
}
