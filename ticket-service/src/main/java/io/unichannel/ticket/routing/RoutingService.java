package io.unichannel.ticket.routing;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.outbox.OutboxEvent;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.TroubleTicket;
import io.unichannel.ticket.service.TicketEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Routes unowned tickets to agents. A new ticket joins its queue's first target; every replica
 * polls for due tickets (SKIP LOCKED, so each is routed by one replica at a time), offers each to
 * the best candidate of the target in force, widens to the next target when its time is up,
 * gives a lapsed or declined offer to the next candidate, and escalates a ticket nobody took in
 * time. An agent holds one offer at a time (a conditional update on their row, so two replicas
 * cannot both offer them one). Every decision is stored with its candidates, scores, factors and
 * the policy version, and published as a TroubleTicketRoutedEvent in the same transaction.
 */
@ApplicationScoped
public class RoutingService {

    private static final Set<String> FINAL = Set.of(TicketStatus.RESOLVED.tmfName(), TicketStatus.CLOSED.tmfName(),
            TicketStatus.CANCELLED.tmfName(), TicketStatus.REJECTED.tmfName());
    private static final List<String> PRIORITIES = List.of("low", "medium", "high", "urgent");
    private static final int SHOWN_CANDIDATES = 10;

    private final RoutingPolicies policies;
    private final TicketEvents events;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final io.unichannel.ticket.repository.TroubleTicketRepository tickets;
    private final io.micrometer.core.instrument.Timer decisionTime;
    /** How soon a ticket no agent could take is looked at again (agents coming available wake it sooner). */
    private final Duration recheck;
    /** When the routing timer next has a ticket to look at; every change of this replica's that may route one wakes it. */
    private final io.unichannel.common.timing.DueWork due;

    public RoutingService(RoutingPolicies policies, TicketEvents events, ObjectMapper json, MeterRegistry metrics,
            io.unichannel.ticket.repository.TroubleTicketRepository tickets,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "ticket.routing.recheck", defaultValue = "15s")
            Duration recheck,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "ticket.routing.safety-look", defaultValue = "30s")
            Duration safetyLook) {
        this.recheck = recheck;
        this.due = new io.unichannel.common.timing.DueWork(safetyLook);
        this.tickets = tickets;
        this.decisionTime = io.micrometer.core.instrument.Timer.builder("ticket.routing.decision")
                .description("Time to route one due ticket (rank the candidates, take an offer slot, record the decision)")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.policies = policies;
        this.events = events;
        this.json = json;
        this.metrics = metrics;
    }

    /** A new ticket's place in its queue, persisted with the ticket; empty when no queue takes its type. */
    public Optional<RoutingState> enqueue(TroubleTicket ticket, OffsetDateTime now) {
        due.wakeNow();
        RoutingPolicy policy = policies.current();
        return policy.queueFor(ticket.ticketType, ticket.diagnosis).flatMap(queue -> {
            int target = RoutingPolicy.nextTarget(queue, 0, ticket.customerTier);
            if (target < 0) {
                return Optional.empty();
            }
            RoutingState state = new RoutingState();
            state.ticketId = ticket.id;
            state.queue = queue.name();
            state.target = target;
            state.targetSince = now;
            state.orderKey = orderKey(ticket);
            state.nextCheckAt = now;
            state.queuedAt = now;
            state.unownedLimitAt = now.plusSeconds(policy.unownedLimitSeconds());
            return Optional.of(state);
        });
    }

    private static long orderKey(TroubleTicket ticket) {
        OffsetDateTime due = ticket.expectedResolutionDate != null ? ticket.expectedResolutionDate : ticket.creationDate;
        return Router.orderKey(due.toInstant(), ticket.priority);
    }

    /** When the routing timer next has work. */
    public io.unichannel.common.timing.DueWork due() {
        return due;
    }

    /** When the earliest waiting ticket is next due a look, or null when none waits. */
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    public Uni<java.time.Instant> nextCheckAt() {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT min(next_check_at) FROM routing_state", Object.class).getSingleResultOrNull())
                .map(io.unichannel.ticket.sla.SlaService::instant);
    }

    /** Routes up to {@code limit} due tickets, most urgent first; answers how many were looked at. */
    @WithTransaction
    public Uni<Integer> routeDue(int limit) {
        OffsetDateTime now = now();
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM routing_state WHERE next_check_at <= :now ORDER BY order_key LIMIT :limit FOR UPDATE SKIP LOCKED",
                RoutingState.class).setParameter("now", now).setParameter("limit", limit).getResultList()
                .chain(states -> states.isEmpty() ? Uni.createFrom().item(0) : routeAll(session, states, now)));
    }

    private Uni<Integer> routeAll(Mutiny.Session session, List<RoutingState> states, OffsetDateTime now) {
        List<String> ids = states.stream().map(s -> s.ticketId).toList();
        return tickets.list("id in ?1", ids).chain(tickets -> {
            Map<String, TroubleTicket> byId = tickets.stream().collect(Collectors.toMap(t -> t.id, Function.identity()));
            return candidates(session).chain(agents -> {
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (RoutingState state : states) {
                    chain = chain.chain(() -> {
                        long started = System.nanoTime();
                        return route(session, state, byId.get(state.ticketId), agents, now)
                                .invoke(() -> decisionTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS));
                    });
                }
                return chain.replaceWith(states.size());
            });
        });
    }

    /**
     * The agents who could take an offer now, with their load. Read as plain rows, not managed
     * entities: with thousands of agents, every flush of the batch would otherwise check each of
     * them for changes.
     */
    private Uni<Map<String, Router.AgentView>> candidates(Mutiny.Session session) {
        return session.createNativeQuery("SELECT agent_id, regions, skills, seniority, capacity, last_offered_at FROM agent "
                + "WHERE presence = 'available' AND offer_ticket IS NULL", Object[].class).getResultList()
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().item(new LinkedHashMap<String, Router.AgentView>())
                        : availableLoads(session).map(loads -> {
                            Map<String, Router.AgentView> views = new LinkedHashMap<>();
                            for (Object[] r : rows) {
                                String id = (String) r[0];
                                Map<String, Integer> load = loads.getOrDefault(id, Map.of());
                                OffsetDateTime lastOffered = toOffset(r[5]);
                                views.put(id, new Router.AgentView(id, split((String) r[1]), readMap((String) r[2]),
                                        ((Number) r[3]).intValue(), readMap((String) r[4]), "available", load,
                                        load.values().stream().mapToInt(Integer::intValue).sum(), false,
                                        lastOffered == null ? null : lastOffered.toInstant()));
                            }
                            return views;
                        }));
    }

    /** Open tickets of every agent free to take an offer, by ticket type (one query, however many agents). */
    private static Uni<Map<String, Map<String, Integer>>> availableLoads(Mutiny.Session session) {
        return session.createNativeQuery("SELECT t.assignee, t.ticket_type, count(*) FROM trouble_ticket t "
                + "JOIN agent a ON a.agent_id = t.assignee WHERE a.presence = 'available' AND a.offer_ticket IS NULL "
                + "AND t.status NOT IN ('resolved', 'closed', 'cancelled', 'rejected') GROUP BY t.assignee, t.ticket_type", Object[].class)
                .getResultList().map(RoutingService::byAgent);
    }

    private static Map<String, Map<String, Integer>> byAgent(List<Object[]> rows) {
        Map<String, Map<String, Integer>> loads = new HashMap<>();
        for (Object[] row : rows) {
            loads.computeIfAbsent((String) row[0], k -> new HashMap<>()).put((String) row[1], ((Number) row[2]).intValue());
        }
        return loads;
    }

    /** Open tickets assigned to each agent, by ticket type. */
    private static Uni<Map<String, Map<String, Integer>>> loads(Mutiny.Session session, List<String> agents) {
        return session.createNativeQuery("SELECT assignee, ticket_type, count(*) FROM trouble_ticket WHERE assignee IN (:agents) "
                + "AND status NOT IN ('resolved', 'closed', 'cancelled', 'rejected') GROUP BY assignee, ticket_type", Object[].class)
                .setParameter("agents", agents).getResultList().map(RoutingService::byAgent);
    }

    private Uni<Void> route(Mutiny.Session session, RoutingState state, TroubleTicket ticket, Map<String, Router.AgentView> agents,
            OffsetDateTime now) {
        RoutingPolicy policy = policies.current();
        Optional<RoutingPolicy.Queue> found = policy.queue(state.queue);
        if (ticket == null || ticket.assignee != null || FINAL.contains(ticket.status) || found.isEmpty()) {
            // Owned (accepted, assigned by hand), finished, or its queue is gone: it leaves routing.
            return releaseOffer(session, state).chain(() -> session.remove(state));
        }
        RoutingPolicy.Queue queue = found.get();
        List<Object> rows = new ArrayList<>();
        Uni<Void> before = Uni.createFrom().voidItem();
        if (state.offeredTo != null) {
            if (state.offerExpiresAt.isAfter(now)) {
                state.nextCheckAt = earliest(state.offerExpiresAt, state.escalated ? null : state.unownedLimitAt);
                if (state.escalated || now.isBefore(state.unownedLimitAt)) {
                    return Uni.createFrom().voidItem();
                }
            } else {
                String lapsed = state.offeredTo;
                rows.addAll(decision(state, ticket, queue, "expired", lapsed, null, now));
                before = releaseOffer(session, lapsed, state.ticketId).chain(() -> wakeWaiting(session, lapsed, now));
                state.declined = add(state.declined, lapsed);
                state.offeredTo = null;
                state.offerExpiresAt = null;
            }
        }
        RoutingPolicy.Target target = queue.targets().get(Math.min(state.target, queue.targets().size() - 1));
        if (target.timeoutSeconds() > 0 && !now.isBefore(state.targetSince.plusSeconds(target.timeoutSeconds()))
                && state.offeredTo == null) {
            int next = RoutingPolicy.nextTarget(queue, state.target + 1, ticket.customerTier);
            if (next >= 0) {
                state.target = next;
                state.targetSince = now;
                target = queue.targets().get(next);
                rows.addAll(decision(state, ticket, queue, "widened", null, null, now));
            }
        }
        if (!state.escalated && !now.isBefore(state.unownedLimitAt)) {
            state.escalated = true;
            rows.addAll(escalate(state, ticket, queue, now));
        }
        if (state.offeredTo != null) {
            return before.chain(() -> persist(session, rows));
        }
        RoutingPolicy.Target inForce = target;
        Uni<Optional<String>> last = agents.isEmpty() ? Uni.createFrom().item(Optional.empty()) : lastAgent(session, ticket);
        return before.chain(() -> last).chain(lastAgent -> {
            Router.TicketView view = new Router.TicketView(ticket.id, ticket.ticketType, ticket.region, ticket.customerTier,
                    lastAgent.orElse(null));
            Router.Ranking ranking = Router.rank(view, inForce, List.copyOf(agents.values()), split(state.declined),
                    policy.preferLastAgent(), now.toInstant());
            return offer(session, state, ticket, queue, ranking, ranking.candidates(), 0, agents, now, rows);
        });
    }

    /** Offers to the best candidate whose offer slot is still free; when none is, waits. */
    private Uni<Void> offer(Mutiny.Session session, RoutingState state, TroubleTicket ticket, RoutingPolicy.Queue queue,
            Router.Ranking ranking, List<Router.Candidate> ranked, int at, Map<String, Router.AgentView> agents,
            OffsetDateTime now, List<Object> rows) {
        if (at >= ranked.size()) {
            RoutingPolicy.Target target = queue.targets().get(state.target);
            OffsetDateTime widensAt = target.timeoutSeconds() > 0 ? state.targetSince.plusSeconds(target.timeoutSeconds()) : null;
            state.nextCheckAt = earliest(now.plus(recheck), earliest(widensAt, state.escalated ? null : state.unownedLimitAt));
            if (!"no-candidate".equals(state.lastOutcome)) {
                rows.addAll(decision(state, ticket, queue, "no-candidate", null, ranking, now));
            }
            return persist(session, rows);
        }
        Router.Candidate best = ranked.get(at);
        return session.createNativeQuery("UPDATE agent SET offer_ticket = :ticket, last_offered_at = :now "
                + "WHERE agent_id = :agent AND offer_ticket IS NULL AND presence = 'available'")
                .setParameter("ticket", ticket.id).setParameter("now", now).setParameter("agent", best.agentId())
                .executeUpdate()
                .chain(updated -> {
                    agents.remove(best.agentId());
                    if (updated == 0) {
                        return offer(session, state, ticket, queue, ranking, ranked, at + 1, agents, now, rows);
                    }
                    state.offeredTo = best.agentId();
                    state.offerExpiresAt = now.plusSeconds(policies.current().offerTimeoutSeconds());
                    state.nextCheckAt = earliest(state.offerExpiresAt, state.escalated ? null : state.unownedLimitAt);
                    rows.addAll(decision(state, ticket, queue, "offered", best.agentId(), ranking, now));
                    return persist(session, rows);
                });
    }

    private static Uni<Void> persist(Mutiny.Session session, List<Object> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem() : session.persistAll(rows.toArray());
    }

    /** Nobody took the ticket in time: its priority goes up and the region's supervisors are told. */
    private List<Object> escalate(RoutingState state, TroubleTicket ticket, RoutingPolicy.Queue queue, OffsetDateTime now) {
        List<Object> rows = new ArrayList<>(decision(state, ticket, queue, "escalated", null, null, now));
        int at = PRIORITIES.indexOf(ticket.priority);
        if (at >= 0 && at < PRIORITIES.size() - 1) {
            ticket.priority = PRIORITIES.get(at + 1);
            ticket.lastUpdate = now;
            ticket.sequence++;
            rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, List.of("priority")));
        }
        String supervisors = "supervisors:" + (ticket.region == null ? "unassigned" : ticket.region);
        rows.add(events.staffNotification(supervisors, "routing-unowned", ticket, Map.of("ticketId", ticket.id,
                "queue", queue.name(), "waitingSince", Timestamps.rfc3339(state.queuedAt)), now));
        metrics.counter("ticket.routing.escalations", "queue", queue.name()).increment();
        return rows;
    }

    /** The decision row and its event. */
    private List<Object> decision(RoutingState state, TroubleTicket ticket, RoutingPolicy.Queue queue, String outcome,
            String agent, Router.Ranking ranking, OffsetDateTime now) {
        RoutingPolicy policy = policies.current();
        RoutingDecision d = new RoutingDecision();
        d.id = UUID.randomUUID();
        d.ticketId = ticket.id;
        d.decidedAt = now;
        d.policyVersion = policy.version();
        d.queue = queue.name();
        d.target = state.target < queue.targets().size() ? queue.targets().get(state.target).name() : null;
        d.outcome = outcome;
        d.agentId = agent;
        Map<String, Object> considered = new LinkedHashMap<>();
        if (ranking != null) {
            considered.put("candidates", ranking.candidates().stream().limit(SHOWN_CANDIDATES)
                    .map(c -> Map.of("agent", c.agentId(), "score", Math.round(c.score() * 100) / 100.0, "factors", c.factors()))
                    .toList());
            considered.put("candidateCount", ranking.eligible());
            considered.put("excluded", ranking.excluded());
        }
        d.candidates = write(considered);
        state.lastOutcome = outcome;
        metrics.counter("ticket.routing.decisions", "outcome", outcome, "queue", queue.name()).increment();
        // Waiting for a candidate is kept in the decision log, not broadcast.
        return "no-candidate".equals(outcome) ? List.of(d) : List.of(d, event(d, considered));
    }

    private OutboxEvent event(RoutingDecision d, Map<String, Object> considered) {
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("id", d.id.toString());
        decision.put("ticketId", d.ticketId);
        decision.put("queue", d.queue);
        decision.put("target", d.target);
        decision.put("outcome", d.outcome);
        decision.put("agent", d.agentId);
        decision.put("policyVersion", d.policyVersion);
        decision.putAll(considered);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", d.id.toString());
        body.put("eventTime", Timestamps.rfc3339(d.decidedAt));
        body.put("eventType", EventTypes.TROUBLE_TICKET_ROUTED);
        body.put("event", Map.of("routingDecision", decision));
        return OutboxEvent.of(d.id, "TroubleTicket", d.ticketId, EventTypes.TROUBLE_TICKET_ROUTED, d.decidedAt, write(body));
    }

    /** Who last served this customer (the assignee of their latest other ticket). */
    private static Uni<Optional<String>> lastAgent(Mutiny.Session session, TroubleTicket ticket) {
        return session.createNativeQuery("SELECT assignee FROM trouble_ticket WHERE customer_id = :customer AND id <> :id "
                + "AND assignee IS NOT NULL ORDER BY last_update DESC LIMIT 1", String.class)
                .setParameter("customer", ticket.customerId).setParameter("id", ticket.id).getResultList()
                .map(rows -> rows.stream().findFirst());
    }

    /** How many waiting tickets an agent's freed offer slot wakes: the most urgent of the agent's regions. */
    static final int WAKE = 20;

    /**
     * An agent's offer slot is free again (they accepted, declined, let an offer lapse or gave a
     * ticket back): the most urgent tickets waiting in their regions are looked at now instead of
     * at their next check.
     */
    static Uni<Void> wakeWaiting(Mutiny.Session session, String agentId, OffsetDateTime now) {
        return Uni.createFrom().deferred(() -> session.createNativeQuery("""
                UPDATE routing_state SET next_check_at = :now WHERE ticket_id IN (
                    SELECT s.ticket_id FROM routing_state s JOIN trouble_ticket t ON t.id = s.ticket_id
                    WHERE s.offered_to IS NULL AND s.next_check_at > :now
                      AND t.region = ANY (string_to_array((SELECT regions FROM agent WHERE agent_id = :agent), ','))
                    ORDER BY s.order_key LIMIT :wake)""")
                .setParameter("now", now).setParameter("agent", agentId).setParameter("wake", WAKE)
                .executeUpdate().replaceWithVoid());
    }

    /**
     * An agent's load fell (a ticket of theirs was resolved, closed or handed to someone else): the
     * most urgent tickets waiting in their regions are looked at now. With this and the wakes on a
     * freed offer slot and on presence, a waiting ticket needs no short re-check period.
     */
    public Uni<Void> loadFreed(String agentId, OffsetDateTime now) {
        due.wakeNow();
        return Panache.getSession().chain(session -> wakeWaiting(session, agentId, now));
    }

    private static Uni<Void> releaseOffer(Mutiny.Session session, RoutingState state) {
        return releaseOffer(session, state.offeredTo, state.ticketId);
    }

    /** Frees the agent's offer slot if it still holds this ticket. */
    private static Uni<Void> releaseOffer(Mutiny.Session session, String agentId, String ticketId) {
        if (agentId == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> session.createNativeQuery(
                "UPDATE agent SET offer_ticket = NULL WHERE agent_id = :agent AND offer_ticket = :ticket")
                .setParameter("agent", agentId).setParameter("ticket", ticketId).executeUpdate().replaceWithVoid());
    }

    // ---- The agents' side: accept, decline, release; presence and profiles -------------------------------------

    /** The agent takes the ticket they were offered: it is theirs, and leaves routing. */
    @WithTransaction
    public Uni<TroubleTicket> accept(String agentId, String ticketId) {
        due.wakeNow();
        OffsetDateTime now = now();
        return offered(agentId, ticketId).chain(state -> tickets.findById(ticketId, LockModeType.PESSIMISTIC_WRITE)
                .chain(ticket -> Panache.getSession().chain(session -> {
                    ticket.assignee = agentId;
                    ticket.lastUpdate = now;
                    ticket.sequence++;
                    RoutingPolicy.Queue queue = policies.current().queue(state.queue).orElseThrow();
                    List<Object> rows = new ArrayList<>(decision(state, ticket, queue, "accepted", agentId, null, now));
                    rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, List.of("relatedParty")));
                    return releaseOffer(session, state).chain(() -> session.remove(state))
                            .chain(() -> session.persistAll(rows.toArray())).chain(() -> wakeWaiting(session, agentId, now))
                            .replaceWith(ticket);
                })));
    }

    /** The agent declines: the ticket goes to the next candidate at once. */
    @WithTransaction
    public Uni<Void> decline(String agentId, String ticketId) {
        due.wakeNow();
        OffsetDateTime now = now();
        return offered(agentId, ticketId).chain(state -> tickets.findById(ticketId)
                .chain(ticket -> Panache.getSession().chain(session -> {
                    RoutingPolicy.Queue queue = policies.current().queue(state.queue).orElseThrow();
                    List<Object> rows = decision(state, ticket, queue, "declined", agentId, null, now);
                    return releaseOffer(session, agentId, ticketId).invoke(() -> {
                        state.declined = add(state.declined, agentId);
                        state.offeredTo = null;
                        state.offerExpiresAt = null;
                        state.nextCheckAt = now;
                    }).chain(() -> session.persistAll(rows.toArray())).chain(() -> wakeWaiting(session, agentId, now));
                })));
    }

    private static Uni<RoutingState> offered(String agentId, String ticketId) {
        return RoutingState.<RoutingState>findById(ticketId, LockModeType.PESSIMISTIC_WRITE).map(state -> {
            if (state == null || !agentId.equals(state.offeredTo)) {
                throw new ProblemException(ProblemTypes.CONFLICT, "No such offer", 409,
                        "Ticket " + ticketId + " is not on offer to you (taken, lapsed, or never offered).");
            }
            return state;
        });
    }

    /** The agent gives a ticket back: unassigned, it is routed again, not to them. */
    @WithTransaction
    public Uni<TroubleTicket> release(String agentId, String ticketId) {
        due.wakeNow();
        OffsetDateTime now = now();
        return tickets.findById(ticketId, LockModeType.PESSIMISTIC_WRITE).chain(ticket -> {
            if (ticket == null || !agentId.equals(ticket.assignee) || FINAL.contains(ticket.status)) {
                throw new ProblemException(ProblemTypes.CONFLICT, "Not yours to release", 409,
                        "Ticket " + ticketId + " is not an open ticket of yours.");
            }
            ticket.assignee = null;
            ticket.lastUpdate = now;
            ticket.sequence++;
            RoutingState state = enqueue(ticket, now).orElseThrow(() -> new ProblemException(ProblemTypes.CONFLICT,
                    "No queue", 409, "No routing queue takes " + ticket.ticketType + " tickets."));
            state.declined = agentId;
            RoutingPolicy.Queue queue = policies.current().queue(state.queue).orElseThrow();
            List<Object> rows = new ArrayList<>(List.of(state));
            rows.addAll(decision(state, ticket, queue, "released", agentId, null, now));
            rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, List.of("relatedParty")));
            return Panache.getSession().chain(s -> s.persistAll(rows.toArray())).replaceWith(ticket);
        });
    }

    /**
     * The agent hands one of their tickets to a colleague: the colleague is offered it at once
     * (their single offer slot, like any offer, so they accept or decline it); 409 when the
     * colleague is not available or already holds an offer.
     */
    @WithTransaction
    public Uni<TroubleTicket> transfer(String agentId, String ticketId, String toAgent) {
        due.wakeNow();
        OffsetDateTime now = now();
        return tickets.findById(ticketId, LockModeType.PESSIMISTIC_WRITE).chain(ticket -> {
            if (ticket == null || !agentId.equals(ticket.assignee) || FINAL.contains(ticket.status)) {
                throw new ProblemException(ProblemTypes.CONFLICT, "Not yours to transfer", 409,
                        "Ticket " + ticketId + " is not an open ticket of yours.");
            }
            if (agentId.equals(toAgent)) {
                throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Same agent", 400, "A ticket is transferred to someone else.");
            }
            return Panache.getSession().chain(session -> session.createNativeQuery("UPDATE agent SET offer_ticket = :ticket, "
                    + "last_offered_at = :now WHERE agent_id = :agent AND offer_ticket IS NULL AND presence = 'available'")
                    .setParameter("ticket", ticketId).setParameter("now", now).setParameter("agent", toAgent).executeUpdate()
                    .chain(updated -> {
                        if (updated == 0) {
                            throw new ProblemException(ProblemTypes.CONFLICT, "Colleague not free", 409, toAgent
                                    + " is not available for an offer now (away, offline, holding an offer, or unknown).");
                        }
                        RoutingState state = enqueue(ticket, now).orElseThrow(() -> new ProblemException(ProblemTypes.CONFLICT,
                                "No queue", 409, "No routing queue takes " + ticket.ticketType + " tickets."));
                        ticket.assignee = null;
                        ticket.lastUpdate = now;
                        ticket.sequence++;
                        state.declined = agentId;
                        state.offeredTo = toAgent;
                        state.offerExpiresAt = now.plusSeconds(policies.current().offerTimeoutSeconds());
                        state.nextCheckAt = state.offerExpiresAt;
                        RoutingPolicy.Queue queue = policies.current().queue(state.queue).orElseThrow();
                        List<Object> rows = new ArrayList<>(List.of(state));
                        rows.addAll(decision(state, ticket, queue, "transferred", toAgent, null, now));
                        rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, List.of("relatedParty")));
                        return session.persistAll(rows.toArray()).replaceWith(ticket);
                    }));
        });
    }

    /**
     * The agent pulls work: the most urgent waiting ticket that the target in force of its queue
     * would give them (skills, seniority, region, capacity) becomes theirs at once; empty when there
     * is none. The pulled ticket leaves routing like an accepted offer.
     */
    @WithTransaction
    public Uni<Optional<TroubleTicket>> next(String agentId) {
        due.wakeNow();
        OffsetDateTime now = now();
        return Agent.<Agent>findById(agentId, LockModeType.PESSIMISTIC_WRITE).chain(agent -> {
            if (agent == null) {
                throw new ProblemException(ProblemTypes.NOT_FOUND, "No routing profile", 404,
                        "You have no routing profile yet; a supervisor sets your skills and capacity first.");
            }
            return Panache.getSession().chain(session -> loads(session, List.of(agentId)).chain(loads -> {
                Router.AgentView me = new Router.AgentView(agent.agentId, split(agent.regions), readMap(agent.skills), agent.seniority,
                        readMap(agent.capacity), "available", loads.getOrDefault(agentId, Map.of()),
                        loads.getOrDefault(agentId, Map.of()).values().stream().mapToInt(Integer::intValue).sum(), false,
                        agent.lastOfferedAt == null ? null : agent.lastOfferedAt.toInstant());
                return session.createNativeQuery("SELECT * FROM routing_state WHERE offered_to IS NULL ORDER BY order_key "
                        + "LIMIT 200 FOR UPDATE SKIP LOCKED", RoutingState.class).getResultList()
                        .chain(states -> states.isEmpty() ? Uni.createFrom().item(Optional.<TroubleTicket>empty())
                                : tickets.list("id in ?1", states.stream().map(st -> st.ticketId).toList()).chain(found -> {
                                    Map<String, TroubleTicket> byId = found.stream().collect(Collectors.toMap(t -> t.id, Function.identity()));
                                    for (RoutingState state : states) {
                                        TroubleTicket ticket = byId.get(state.ticketId);
                                        Optional<RoutingPolicy.Queue> queue = policies.current().queue(state.queue);
                                        if (ticket == null || ticket.assignee != null || queue.isEmpty()
                                                || split(state.declined).contains(agentId)) {
                                            continue;
                                        }
                                        RoutingPolicy.Target target = queue.get().targets().get(Math.min(state.target,
                                                queue.get().targets().size() - 1));
                                        Router.Ranking ranking = Router.rank(new Router.TicketView(ticket.id, ticket.ticketType,
                                                ticket.region, ticket.customerTier, null), target, List.of(me), Set.of(), false,
                                                now.toInstant());
                                        if (ranking.candidates().isEmpty()) {
                                            continue;
                                        }
                                        ticket.assignee = agentId;
                                        ticket.lastUpdate = now;
                                        ticket.sequence++;
                                        agent.lastOfferedAt = now;
                                        List<Object> rows = new ArrayList<>(decision(state, ticket, queue.get(), "pulled", agentId,
                                                ranking, now));
                                        rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE,
                                                List.of("relatedParty")));
                                        return session.remove(state).chain(() -> session.persistAll(rows.toArray()))
                                                .replaceWith(Optional.of(ticket));
                                    }
                                    return Uni.createFrom().item(Optional.<TroubleTicket>empty());
                                }));
            }));
        });
    }

    /** Hands one of the agent's tickets to another queue (a group): it is routed there from its first target. */
    @WithTransaction
    public Uni<TroubleTicket> transferToQueue(String agentId, String ticketId, String queueName) {
        due.wakeNow();
        OffsetDateTime now = now();
        RoutingPolicy policy = policies.current();
        RoutingPolicy.Queue queue = policy.queue(queueName).orElseThrow(() -> new ProblemException(ProblemTypes.INVALID_REQUEST,
                "Unknown queue", 400, "There is no routing queue " + queueName + "."));
        return tickets.findById(ticketId, LockModeType.PESSIMISTIC_WRITE).chain(ticket -> {
            if (ticket == null || !agentId.equals(ticket.assignee) || FINAL.contains(ticket.status)) {
                throw new ProblemException(ProblemTypes.CONFLICT, "Not yours to transfer", 409,
                        "Ticket " + ticketId + " is not an open ticket of yours.");
            }
            int target = RoutingPolicy.nextTarget(queue, 0, ticket.customerTier);
            RoutingState state = new RoutingState();
            state.ticketId = ticket.id;
            state.queue = queue.name();
            state.target = Math.max(0, target);
            state.targetSince = now;
            state.orderKey = orderKey(ticket);
            state.nextCheckAt = now;
            state.queuedAt = now;
            state.unownedLimitAt = now.plusSeconds(policy.unownedLimitSeconds());
            state.declined = agentId;
            ticket.assignee = null;
            ticket.lastUpdate = now;
            ticket.sequence++;
            List<Object> rows = new ArrayList<>(List.of(state));
            rows.addAll(decision(state, ticket, queue, "transferred", null, null, now));
            rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, List.of("relatedParty")));
            return Panache.getSession().chain(s -> s.persistAll(rows.toArray())).replaceWith(ticket);
        });
    }

    /** An agent's routing profile, as a supervisor sets it; the agent's presence is kept. */
    @WithTransaction
    public Uni<Agent> profile(String agentId, Set<String> regions, Map<String, Integer> skills, int seniority,
            Map<String, Integer> capacity) {
        due.wakeNow();
        OffsetDateTime now = now();
        return Agent.<Agent>findById(agentId).chain(existing -> {
            Agent agent = existing != null ? existing : new Agent();
            if (existing == null) {
                agent.agentId = agentId;
                agent.presence = "offline";
                agent.presenceSince = now;
            }
            agent.regions = String.join(",", regions);
            agent.skills = write(skills);
            agent.seniority = seniority;
            agent.capacity = write(capacity);
            agent.updatedAt = now;
            return existing != null ? Uni.createFrom().item(agent) : agent.<Agent>persist();
        });
    }

    /** The agent's own presence; going away hands back a pending offer at once. */
    @WithTransaction
    public Uni<Agent> presence(String agentId, String presence) {
        due.wakeNow();
        OffsetDateTime now = now();
        return Agent.<Agent>findById(agentId, LockModeType.PESSIMISTIC_WRITE).chain(agent -> {
            if (agent == null) {
                throw new ProblemException(ProblemTypes.NOT_FOUND, "No routing profile", 404,
                        "You have no routing profile yet; a supervisor sets your skills and capacity first.");
            }
            boolean arriving = "available".equals(presence) && !presence.equals(agent.presence);
            if (!presence.equals(agent.presence)) {
                agent.presence = presence;
                agent.presenceSince = now;
            }
            agent.updatedAt = now;
            if (arriving) {
                // Tickets waiting for someone are looked at again now rather than at their next check.
                return Panache.getSession().chain(session -> session.createNativeQuery(
                        "UPDATE routing_state SET next_check_at = :now WHERE offered_to IS NULL AND next_check_at > :now")
                        .setParameter("now", now).executeUpdate()).replaceWith(agent);
            }
            if (!"available".equals(presence) && agent.offerTicket != null) {
                return RoutingState.<RoutingState>findById(agent.offerTicket).invoke(state -> {
                    if (state != null && agentId.equals(state.offeredTo)) {
                        state.offerExpiresAt = now;
                        state.nextCheckAt = now;
                    }
                }).replaceWith(agent);
            }
            return Uni.createFrom().item(agent);
        });
    }

    // ---- Reading -----------------------------------------------------------------------------------------------

    /** What the agent has in front of them: the offer they hold, and their open tickets. */
    public record MyQueue(Offer offer, List<TroubleTicket> assigned, Agent agent) {
    }

    public record Offer(String ticketId, OffsetDateTime expiresAt, TroubleTicket ticket) {
    }

    @WithSession
    public Uni<MyQueue> queueOf(String agentId) {
        return Agent.<Agent>findById(agentId).chain(agent -> RoutingState.<RoutingState>find("offeredTo", agentId).firstResult()
                .chain(state -> (state == null ? Uni.createFrom().<Offer>nullItem()
                        : tickets.findById(state.ticketId).map(t -> new Offer(state.ticketId, state.offerExpiresAt, t)))
                        .chain(offer -> tickets.list(
                                "assignee = ?1 and status not in ('resolved', 'closed', 'cancelled', 'rejected') order by priority desc, "
                                        + "expectedResolutionDate", agentId)
                                .map(assigned -> new MyQueue(offer, assigned, agent)))));
    }

    /** A queue's depth, the oldest ticket waiting in it, and how many offers are out. */
    public record QueueDepth(String queue, long waiting, long offered, OffsetDateTime oldestSince, long escalated) {
    }

    /** An agent's state for supervisors. */
    public record AgentLoad(String agentId, Set<String> regions, String presence, OffsetDateTime presenceSince, int load,
            String offer, Map<String, Integer> skills, int seniority, Map<String, Integer> capacity) {
    }

    public record Overview(List<QueueDepth> queues, List<AgentLoad> agents) {
    }

    /** Queue depths and agents' load, within the supervisor's scope (ops: everything). */
    @WithSession
    public Uni<Overview> overview(StaffScope scope) {
        String region = scope.everything() ? null : scope.region() == null ? "-" : scope.region();
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT s.queue, count(*) FILTER (WHERE s.offered_to IS NULL), count(s.offered_to), min(s.queued_at),
                       count(*) FILTER (WHERE s.escalated)
                FROM routing_state s JOIN trouble_ticket t ON t.id = s.ticket_id
                WHERE CAST(:region AS varchar) IS NULL OR t.region = :region GROUP BY s.queue ORDER BY s.queue""", Object[].class)
                .setParameter("region", region).getResultList()
                .chain(rows -> {
                    List<QueueDepth> queues = new ArrayList<>();
                    for (Object[] r : rows) {
                        queues.add(new QueueDepth((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                                toOffset(r[3]), ((Number) r[4]).longValue()));
                    }
                    return Agent.<Agent>listAll().chain(all -> {
                        List<Agent> visible = all.stream().filter(a -> region == null || split(a.regions).contains(region)).toList();
                        if (visible.isEmpty()) {
                            return Uni.createFrom().item(new Overview(queues, List.of()));
                        }
                        return loads(session, visible.stream().map(a -> a.agentId).toList()).map(loads -> new Overview(queues,
                                visible.stream().map(a -> new AgentLoad(a.agentId, split(a.regions), a.presence, a.presenceSince,
                                        loads.getOrDefault(a.agentId, Map.of()).values().stream().mapToInt(Integer::intValue).sum(),
                                        a.offerTicket, readMap(a.skills), a.seniority, readMap(a.capacity))).toList()));
                    });
                }));
    }

    /** Every routing decision about a ticket, oldest first. */
    @WithSession
    public Uni<List<RoutingDecision>> decisions(String ticketId) {
        return RoutingDecision.list("ticketId = ?1 order by seq", ticketId);
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }

    private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Set<String> split(String list) {
        return list == null || list.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(list.split(",")));
    }

    private static String add(String list, String item) {
        Set<String> all = new LinkedHashSet<>(split(list));
        all.add(item);
        return String.join(",", all);
    }

    Map<String, Integer> readMap(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, new TypeReference<Map<String, Integer>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
