package io.unichannel.ticket.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.Severity;
import io.unichannel.ticket.TicketChange;
import io.unichannel.ticket.TicketType;
import io.unichannel.ticket.TroubleTicket;
import io.unichannel.ticket.mapping.TroubleTicketEvent;
import io.unichannel.outbox.OutboxEvent;
import io.unichannel.ticket.repository.TroubleTicketRepository;
import io.unichannel.ticket.repository.TroubleTicketRepository.Filter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens and changes work orders. Every change and the event that reports it are written in one
 * transaction (the outbox), so an event is never lost and never published for a change that
 * did not happen.
 */
@ApplicationScoped
public class TicketService {

    private static final String AGGREGATE = "TroubleTicket";

    private final TroubleTicketRepository tickets;
    private final ObjectMapper json;

    public TicketService(TroubleTicketRepository tickets, ObjectMapper json) {
        this.tickets = tickets;
        this.json = json;
    }

    /**
     * Opens one ticket per channel request that has none yet. Requests seen before (Kafka
     * redelivery, a client retry) change nothing.
     *
     * @return how many tickets were opened
     */
    @WithTransaction
    public Uni<Integer> openTickets(List<ChannelRequest> requests) {
        Map<UUID, ChannelRequest> byId = new LinkedHashMap<>();
        requests.forEach(r -> byId.putIfAbsent(r.requestId(), r));
        if (byId.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tickets.requestIdsWithTicket(byId.keySet()).chain(existing -> {
            List<Object> rows = new ArrayList<>();
            int opened = 0;
            OffsetDateTime now = now();
            for (ChannelRequest request : byId.values()) {
                if (existing.contains(request.requestId())) {
                    continue;
                }
                TicketType type = TicketType.fromTmfName(request.requestType()).orElseThrow();
                Severity severity = request.severity() == null ? Severity.MINOR
                        : Severity.fromTmfName(request.severity()).orElseThrow();
                TroubleTicket ticket = TroubleTicket.open(TicketIds.next(), request, type, severity, now);
                rows.add(ticket);
                rows.add(outbox(ticket, EventTypes.TROUBLE_TICKET_CREATE, List.of()));
                opened++;
            }
            if (opened < byId.size()) {
                Log.debugf("%d of %d channel requests already had a ticket", byId.size() - opened, byId.size());
            }
            int count = opened;
            return Panache.getSession().chain(session -> session.persistAll(rows.toArray())).replaceWith(count);
        });
    }

    /**
     * Applies a staff change to a ticket and records the event it produces.
     *
     * @throws io.unichannel.ticket.IllegalTransitionException for a status change TMF621 does not allow
     */
    @WithTransaction
    public Uni<TroubleTicket> change(String id, TicketChange change, String actor) {
        return tickets.findForUpdate(id).chain(ticket -> {
            if (ticket == null) {
                return Uni.createFrom().failure(notFound(id));
            }
            List<String> changed = ticket.apply(change, actor, now());
            if (changed.isEmpty()) {
                return Uni.createFrom().item(ticket);
            }
            String type = TroubleTicket.eventTypeFor(changed, ticket.currentStatus());
            return Panache.getSession().chain(s -> s.persist(outbox(ticket, type, changed))).replaceWith(ticket);
        });
    }

    @WithSession
    public Uni<TroubleTicket> get(String id) {
        return tickets.findById(id).onItem().ifNull().failWith(() -> notFound(id));
    }

    @WithSession
    public Uni<List<TroubleTicket>> list(Filter filter, int offset, int limit) {
        return tickets.list(filter, offset, limit);
    }

    @WithSession
    public Uni<Long> count(Filter filter) {
        return tickets.count(filter);
    }

    private OutboxEvent outbox(TroubleTicket ticket, String eventType, List<String> changed) {
        UUID eventId = UUID.randomUUID();
        try {
            String payload = json.writeValueAsString(TroubleTicketEvent.of(eventId, eventType, ticket, changed));
            return OutboxEvent.of(eventId, AGGREGATE, ticket.id, eventType, ticket.lastUpdate, payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ticket " + ticket.id + " could not be written as an event", e);
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Ticket not found", 404, "There is no ticket " + id + ".");
    }

    /** Millisecond precision: what PostgreSQL stores is what the event says. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
