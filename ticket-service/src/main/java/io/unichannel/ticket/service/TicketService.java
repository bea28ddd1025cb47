package io.unichannel.ticket.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;


import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTraces;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.CustomerAlias;
import io.unichannel.ticket.ProcessedMessage;
import io.unichannel.ticket.Severity;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.TicketChange;
import io.unichannel.ticket.TicketType;
import io.unichannel.ticket.TroubleTicket;
import io.unichannel.ticket.mapping.SlaClockView;
import io.unichannel.ticket.sla.SlaService;
import io.unichannel.ticket.repository.TroubleTicketRepository;
import io.unichannel.ticket.repository.TroubleTicketRepository.Filter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Opens and changes work orders. Every change and the event that reports it are written in one
 * transaction (the outbox), so an event is never lost and never published for a change that
 * did not happen.
 */
@ApplicationScoped
public class TicketService {

    private final TroubleTicketRepository tickets;
    private final TicketEvents events;
    private final SlaService sla;
    private final io.unichannel.ticket.routing.RoutingService routing;
    private final io.unichannel.ticket.automation.Automation automation;

    public TicketService(TroubleTicketRepository tickets, TicketEvents events, SlaService sla,
            io.unichannel.ticket.routing.RoutingService routing, io.unichannel.ticket.automation.Automation automation) {
        this.routing = routing;
        this.automation = automation;
        this.tickets = tickets;
        this.events = events;
        this.sla = sla;
    }

    /**
     * Opens one ticket per channel request that has none yet. Requests seen before (Kafka
     * redelivery, a client retry) change nothing.
     *
     * @return how many tickets were opened
     */
    @WithTransaction
    public Uni<Integer> openTickets(List<ChannelRequest> requests) {
        return open(requests, Map.of());
    }

    /** What a follow-up ticket follows up: the original ticket and the survey invitation whose answer asked for it. */
    public record FollowUp(ChannelRequest request, String followUpOf, String surveyInvitation) {
    }

    /**
     * Opens follow-up tickets asked for by survey answers (SurveyFollowUpRequested), linked to the
     * ticket they follow up; the request id derives from the invitation, so a redelivery opens none.
     */
    @WithTransaction
    public Uni<Integer> openFollowUps(List<FollowUp> followUps) {
        Map<UUID, FollowUp> links = new LinkedHashMap<>();
        followUps.forEach(f -> links.putIfAbsent(f.request().requestId(), f));
        return open(followUps.stream().map(FollowUp::request).toList(), links);
    }

    private Uni<Integer> open(List<ChannelRequest> requests, Map<UUID, FollowUp> links) {
        Map<UUID, ChannelRequest> byId = new LinkedHashMap<>();
        requests.forEach(r -> byId.putIfAbsent(r.requestId(), r));
        if (byId.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tickets.requestIdsWithTicket(byId.keySet()).chain(existing -> aliases(byId.values()).chain(aliases -> {
            List<Object> rows = new ArrayList<>();
            int opened = 0;
            OffsetDateTime now = now();
            for (ChannelRequest request : byId.values()) {
                if (existing.contains(request.requestId())) {
                    continue;
                }
                openOne(request, aliases, links.get(request.requestId()), null, null, now, rows);
                opened++;
            }
            if (opened < byId.size()) {
                Log.debugf("%d of %d channel requests already had a ticket", byId.size() - opened, byId.size());
            }
            int count = opened;
            return Panache.getSession().chain(session -> session.persistAll(rows.toArray())).replaceWith(count);
        }));
    }

    private TroubleTicket openOne(ChannelRequest request, Map<String, String> aliases, FollowUp link, String reporter,
            Given given, OffsetDateTime now, List<Object> rows) {
        TicketType type = TicketType.fromTmfName(request.requestType()).orElseThrow();
        Severity severity = request.severity() == null ? Severity.MINOR
                : Severity.fromTmfName(request.severity()).orElseThrow();
        TroubleTicket ticket = TroubleTicket.open(TicketIds.next(), request, type, severity, now);
        ticket.customerId = aliases.getOrDefault(ticket.customerId, ticket.customerId);
        ticket.reporter = reporter;
        if (given != null) {
            given.applyTo(ticket, now);
        }
        if (link != null) {
            ticket.followUpOf = link.followUpOf();
            ticket.surveyInvitation = link.surveyInvitation();
        }
        List<SlaClockView> clocks = sla.open(ticket);
        rows.add(ticket);
        rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_CREATE, List.of(), clocks, null)
                .tracedFrom(EventTraces.of(request)));
        // A ticket the rules may settle waits for them; they hand it to routing when they cannot.
        var task = automation.taskFor(ticket, request, now);
        if (task.isPresent()) {
            rows.add(task.get());
        } else {
            routing.enqueue(ticket, now).ifPresent(rows::add);
        }
        return ticket;
    }

    /**
     * Opens a ticket a partner system asked for through the TMF621 API, in one transaction with its
     * create event, exactly as channel intake does. The request id derives from the partner and its
     * own reference, so a retried POST returns the ticket the first one opened.
     *
     * @return the ticket, and whether this call opened it
     */
    @WithTransaction
    public Uni<Opened> openForPartner(ChannelRequest request, String partner, Given given) {
        return tickets.find("requestId", request.requestId()).firstResult().chain(found -> {
            if (found != null) {
                if (!partner.equals(found.reporter)) {
                    return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT, "Already used", 409,
                            "This reference was already used for another ticket."));
                }
                return Uni.createFrom().item(new Opened(found, false));
            }
            return aliases(List.of(request)).chain(aliases -> {
                List<Object> rows = new ArrayList<>();
                TroubleTicket ticket = openOne(request, aliases, null, partner, given, now(), rows);
                return Panache.getSession().chain(session -> session.persistAll(rows.toArray()))
                        .replaceWith(new Opened(ticket, true));
            });
        });
    }

    public record Opened(TroubleTicket ticket, boolean created) {
    }

    /**
     * What a partner's TMF621 body gives the ticket beyond the channel request: its name, the date
     * the partner asks for, related entities, attachments, its identifiers and links, and notes
     * (written by the partner, dated when they arrived).
     */
    public record Given(String name, OffsetDateTime requestedResolutionDate, io.unichannel.ticket.TicketDetails details,
            List<io.unichannel.ticket.TicketChange.NewNote> notes) {

        void applyTo(TroubleTicket ticket, OffsetDateTime now) {
            ticket.name = name;
            ticket.requestedResolutionDate = requestedResolutionDate;
            ticket.details = details;
            for (io.unichannel.ticket.TicketChange.NewNote note : notes) {
                ticket.platformNote(ticket.reporter, now, note.text());
            }
        }
    }

    /**
     * Deletes a ticket (administrators only: data retention, test data). Its
     * TroubleTicketDeleteEvent, carrying the ticket as it was, commits with the removal; the routing
     * state goes with it.
     */
    @WithTransaction
    public Uni<TroubleTicket> delete(String id) {
        return tickets.findInScope(id, StaffScope.ALL, true).chain(ticket -> {
            if (ticket == null) {
                return Uni.createFrom().failure(notFound(id));
            }
            ticket.sequence++;
            ticket.lastUpdate = now();
            var event = events.ticket(ticket, EventTypes.TROUBLE_TICKET_DELETE, List.of());
            return Panache.getSession().chain(session -> session.persist(event))
                    .chain(() -> tickets.delete(ticket)).replaceWith(ticket);
        });
    }

    /** Survivors of merged customer ids among these requests' customers. */
    private Uni<Map<String, String>> aliases(java.util.Collection<ChannelRequest> requests) {
        List<String> customers = requests.stream().map(ChannelRequest::customerId).distinct().toList();
        return CustomerAlias.<CustomerAlias>list("mergedId in ?1", customers)
                .map(list -> list.stream().collect(java.util.stream.Collectors.toMap(a -> a.mergedId, a -> a.survivorId)));
    }

    /**
     * Follows a merge of two customer records: every ticket of the merged customer moves to the
     * survivor (one attribute-change event each) and later requests under the merged id are
     * opened for the survivor. A redelivered merge event changes nothing.
     *
     * @return how many tickets moved
     */
    @WithTransaction
    public Uni<Integer> followMerge(String eventId, String mergedId, String survivorId) {
        OffsetDateTime now = now();
        return ProcessedMessage.<ProcessedMessage>findById(eventId).chain(seen -> {
            if (seen != null) {
                return Uni.createFrom().item(0);
            }
            CustomerAlias alias = new CustomerAlias();
            alias.mergedId = mergedId;
            alias.survivorId = survivorId;
            alias.mergedAt = now;
            // Earlier merges into the merged customer now point at the survivor too.
            return CustomerAlias.update("survivorId = ?1 where survivorId = ?2", survivorId, mergedId)
                    .chain(() -> tickets.find("customerId", mergedId).withLock(LockModeType.PESSIMISTIC_WRITE).list())
                    .chain(moving -> {
                        List<Object> rows = new ArrayList<>();
                        for (TroubleTicket ticket : moving) {
                            ticket.moveToCustomer(survivorId, "Customer " + mergedId + " merged into " + survivorId, now);
                            rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, List.of("relatedParty")));
                        }
                        rows.add(ProcessedMessage.of(eventId, Topics.IDENTITY_EVENTS, now));
                        return CustomerAlias.<CustomerAlias>findById(mergedId).chain(existing -> {
                            if (existing == null) {
                                rows.add(alias);
                            } else {
                                existing.survivorId = survivorId;
                            }
                            return Panache.getSession().chain(s -> s.persistAll(rows.toArray())).replaceWith(moving.size());
                        });
                    });
        });
    }

    /**
     * Applies a staff change to a ticket and records the event it produces.
     *
     * @throws io.unichannel.ticket.IllegalTransitionException for a status change TMF621 does not allow
     */
    @WithTransaction
    public Uni<TroubleTicket> change(String id, TicketChange change, String actor, StaffScope scope) {
        return change(id, change, actor, scope, true);
    }

    /**
     * Applies a change by staff ({@code byPerson}: a person's answer counts as a response) or by a
     * partner system (never a response of the operator's).
     */
    @WithTransaction
    public Uni<TroubleTicket> change(String id, TicketChange change, String actor, StaffScope scope, boolean byPerson) {
        return tickets.findInScope(id, scope, true).chain(ticket -> {
            if (ticket == null) {
                return Uni.createFrom().failure(notFound(id));
            }
            OffsetDateTime now = now();
            SlaService.Before before = sla.before(ticket);
            String ownerBefore = ticket.assignee;
            boolean openBefore = isOpen(ticket);
            List<String> changed = new ArrayList<>(ticket.apply(change, actor, now));
            if (changed.isEmpty()) {
                return Uni.createFrom().item(ticket);
            }
            List<SlaClockView> clocks = sla.afterChange(ticket, before, changed, now, byPerson);
            String type = TroubleTicket.eventTypeFor(changed, ticket.currentStatus());
            Uni<Void> children = changed.contains("status") && ticket.currentStatus() == io.unichannel.ticket.TicketStatus.RESOLVED
                    ? resolveChildren(ticket, now) : Uni.createFrom().voidItem();
            // Routing re-checks waiting tickets when an agent's load falls, not on a short period.
            boolean loadFreed = ownerBefore != null && openBefore && (!isOpen(ticket) || !ownerBefore.equals(ticket.assignee));
            return Panache.getSession().chain(s -> s.persist(events.ticket(ticket, type, changed, clocks, null)))
                    .chain(() -> children)
                    .chain(() -> loadFreed ? routing.loadFreed(ownerBefore, now) : Uni.createFrom().voidItem())
                    .replaceWith(ticket);
        });
    }

    /** True while the ticket counts towards its owner's load (routing's capacity). */
    private static boolean isOpen(TroubleTicket ticket) {
        return !ticket.currentStatus().isFinal() && ticket.currentStatus() != io.unichannel.ticket.TicketStatus.RESOLVED;
    }

    /** What a customer whose fault report was part of an outage reads when the outage is fixed. */
    static final String OUTAGE_FIXED = "The outage in your area has been fixed and your service should work again. "
            + "If it does not, tell us on any channel and we will look at your line.";

    /** Resolving an outage's incident resolves every fault report attached to it, each with its own event. */
    private Uni<Void> resolveChildren(TroubleTicket parent, OffsetDateTime now) {
        return tickets.find("parentTicketId = ?1 and status not in ('resolved', 'closed', 'cancelled', 'rejected')", parent.id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list().chain(children -> {
                    List<Object> rows = new ArrayList<>();
                    for (TroubleTicket child : children) {
                        SlaService.Before before = sla.before(child);
                        List<String> changed = child.apply(new TicketChange(io.unichannel.ticket.TicketStatus.RESOLVED,
                                OUTAGE_FIXED, "Resolved with incident " + parent.id + ".", null, null, null), "automation", now);
                        List<SlaClockView> clocks = sla.afterChange(child, before, changed, now, false);
                        rows.add(events.ticket(child, TroubleTicket.eventTypeFor(changed, child.currentStatus()), changed, clocks, null));
                    }
                    if (!children.isEmpty()) {
                        Log.infof("Incident %s resolved: %d attached fault reports resolved with it", parent.id, children.size());
                    }
                    return Panache.getSession().chain(s -> s.persistAll(rows.toArray()));
                });
    }

    /**
     * The incident ticket of an area outage, opened the first time a fault report meets the outage
     * (once per outage: its request id derives from the outage id), in the caller's transaction.
     * It goes to the fault desk's queue; the reports attached to it are not worked one by one.
     */
    public Uni<TroubleTicket> incidentFor(String outageId, String area, String cause, String childTicketId) {
        return io.unichannel.ticket.automation.OutageIncident.<io.unichannel.ticket.automation.OutageIncident>findById(outageId)
                .chain(known -> known != null ? tickets.findById(known.parentTicketId)
                        : tickets.findById(childTicketId).chain(child -> openIncident(outageId, area, cause,
                                child == null ? null : child.region)));
    }

    private Uni<TroubleTicket> openIncident(String outageId, String area, String cause, String region) {
        OffsetDateTime now = now();
        ChannelRequest request = new ChannelRequest(UUID.nameUUIDFromBytes(("outage:" + outageId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), null, "oss", "network-operations",
                "outage " + outageId, io.unichannel.ticket.TicketType.FAULT_REPAIR.tmfName(),
                "Area outage in " + area + ": " + cause + " (OSS outage " + outageId + ")", "outage",
                Severity.MAJOR.tmfName(), null, region, null, Map.of(), now);
        List<Object> rows = new ArrayList<>();
        TroubleTicket parent = openOne(request, Map.of(), null, null, null, now, rows);
        parent.diagnosis = "outage";
        var incident = new io.unichannel.ticket.automation.OutageIncident();
        incident.outageId = outageId;
        incident.area = area;
        incident.parentTicketId = parent.id;
        incident.openedAt = now;
        rows.add(incident);
        Log.infof("Outage %s in %s: incident ticket %s opened", outageId, area, parent.id);
        return Panache.getSession().chain(s -> s.persistAll(rows.toArray())).replaceWith(parent);
    }

    /**
     * Applies what the automation decided, in the caller's transaction: each change with its event
     * (so the customer sees every step), then, when the rules hand the ticket to people, routing.
     * Nothing is applied to a ticket staff have already taken up.
     *
     * @return the ticket, or null when it is gone or no longer waiting for the rules
     */
    public Uni<TroubleTicket> applyAutomated(String id, java.util.function.Consumer<TroubleTicket> update,
            List<TicketChange> changes, boolean route) {
        return tickets.findInScope(id, StaffScope.ALL, true).chain(ticket -> {
            if (ticket == null || ticket.currentStatus() != io.unichannel.ticket.TicketStatus.ACKNOWLEDGED) {
                return Uni.createFrom().nullItem();
            }
            OffsetDateTime now = now();
            List<Object> rows = new ArrayList<>();
            // Fields the automation sets (a diagnosis, a repair time) ride on the event of the first change.
            update.accept(ticket);
            for (TicketChange change : changes) {
                SlaService.Before before = sla.before(ticket);
                List<String> changed = ticket.apply(change, "automation", now);
                if (!changed.isEmpty()) {
                    List<SlaClockView> clocks = sla.afterChange(ticket, before, changed, now, false);
                    rows.add(events.ticket(ticket, TroubleTicket.eventTypeFor(changed, ticket.currentStatus()), changed, clocks, null));
                }
            }
            if (route) {
                routing.enqueue(ticket, now).ifPresent(rows::add);
            }
            return Panache.getSession().chain(s -> s.persistAll(rows.toArray())).replaceWith(ticket);
        });
    }

    @WithSession
    public Uni<TroubleTicket> get(String id, StaffScope scope) {
        return tickets.findInScope(id, scope, false).onItem().ifNull().failWith(() -> notFound(id));
    }

    @WithSession
    public Uni<List<TroubleTicket>> list(Filter filter, int offset, int limit) {
        return tickets.list(filter, offset, limit);
    }

    @WithSession
    public Uni<Long> count(Filter filter) {
        return tickets.count(filter);
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Ticket not found", 404, "There is no ticket " + id + ".");
    }

    /** Millisecond precision: what PostgreSQL stores is what the event says. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
