package io.unichannel.analytics;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.TroubleTicketJson;

/**
 * Turns one ticket event into its KPI contributions, given what is known of the ticket: opening
 * (complaint rate, backlog), first response, resolution (resolution time, MTTR, SLA compliance),
 * closing, reopening and deletion (backlog). Replays (a sequence already seen) count nothing.
 * Pure logic: the topology keeps the facts in its store.
 */
public final class TicketLedger {

    /** Statuses in which a ticket is no longer in the backlog. */
    static final Set<String> CLOSED = Set.of("resolved", "closed", "cancelled", "rejected");

    /** What one event did: the ticket's facts after it, what it adds to the KPIs, a complaint to check for repeats. */
    public record Step(TicketFacts after, List<Contribution> contributions, ComplaintFact complaint) {
    }

    private TicketLedger() {
    }

    /**
     * @param before what is known of the ticket, or null for one not seen yet
     * @throws IllegalArgumentException for an event that can never be counted (the reason says why)
     */
    public static Step apply(TicketFacts before, JsonNode event) {
        String type = text(event, "eventType");
        if (EventTypes.TROUBLE_TICKET_ROUTED.equals(type)) {
            return routed(before, event);
        }
        JsonNode ticket = event.path("event").path("troubleTicket");
        String id = text(ticket, "id");
        if (type == null || id == null || !event.path("sequence").canConvertToInt() || event.path("sequence").asInt() < 1) {
            throw new IllegalArgumentException("not a ticket event: eventType, sequence and event.troubleTicket.id are required");
        }
        int sequence = event.path("sequence").asInt();
        if (before != null && sequence <= before.lastSequence()) {
            return new Step(before, List.of(), null);
        }
        long at = instant(event, "eventTime", 0);
        String assignee = party(ticket, "assignee");
        List<Contribution> out = new ArrayList<>();
        ComplaintFact complaint = null;
        TicketFacts facts = before;
        if (facts == null) {
            long created = instant(ticket, "creationDate", at);
            facts = new TicketFacts(id, created, ticket.path("channel").path("name").asText(null), text(ticket, "ticketType"),
                    TroubleTicketJson.region(ticket), party(ticket, "customer"), assignee, 0, false, false, false, true, created, null);
            if (!EventTypes.TROUBLE_TICKET_CREATE.equals(type) && CLOSED.contains(text(ticket, "status"))) {
                facts = facts.withOpen(false);
            }
            Dimensions dims = facts.dimensions();
            // A survey's follow-up is the earlier matter taken up again, not a new ticket or complaint.
            boolean followUp = TroubleTicketJson.isFollowUp(ticket);
            boolean isComplaint = "complaint".equals(facts.ticketType()) && !followUp;
            if (!followUp) {
                out.add(new Contribution(Kpi.COMPLAINT_RATE.id(), dims, created, Sums.ratio(isComplaint)));
            }
            if (facts.open()) {
                out.add(new Contribution(Kpi.BACKLOG.id(), dims, created, Sums.gauge(1)));
            }
            if (isComplaint && facts.customerId() != null) {
                complaint = new ComplaintFact(id, facts.customerId(), dims, created);
            }
        }
        Dimensions held = facts.dimensions();
        facts = facts.seen(sequence, assignee, at == 0 ? facts.lastSeenAt() : at);
        if (at == 0) {
            at = facts.lastSeenAt();
        }
        moveBacklog(facts, held, at, out);
        long respondedAt = facts.responded() ? -1 : respondedAt(ticket, event, at);
        if (respondedAt >= 0) {
            long seconds = clockSeconds(event, "firstResponse", (respondedAt - facts.createdAt()) / 1000);
            out.add(new Contribution(Kpi.FIRST_RESPONSE_TIME.id(), facts.dimensions(), respondedAt, Sums.observation(seconds)));
            facts = facts.withResponded();
        }
        if (breached(event)) {
            facts = facts.withBreached();
        }
        String status = text(ticket, "status");
        if (!facts.resolved() && ("resolved".equals(status) || EventTypes.TROUBLE_TICKET_RESOLVED.equals(type))) {
            long resolvedAt = instant(ticket, "resolutionDate", at);
            long seconds = clockSeconds(event, "resolution", (resolvedAt - facts.createdAt()) / 1000);
            Dimensions dims = facts.dimensions();
            out.add(new Contribution(Kpi.RESOLUTION_TIME.id(), dims, resolvedAt, Sums.observation(seconds)));
            if ("faultRepair".equals(facts.ticketType())) {
                out.add(new Contribution(Kpi.MTTR.id(), dims, resolvedAt, Sums.observation(seconds)));
            }
            out.add(new Contribution(Kpi.SLA_COMPLIANCE.id(), dims, resolvedAt, Sums.ratio(!facts.breached())));
            facts = facts.withResolved();
        }
        boolean openNow = !(EventTypes.TROUBLE_TICKET_DELETE.equals(type) || CLOSED.contains(status));
        if (status != null || EventTypes.TROUBLE_TICKET_DELETE.equals(type)) {
            if (facts.open() && !openNow) {
                out.add(new Contribution(Kpi.BACKLOG.id(), facts.dimensions(), at, Sums.gauge(-1)));
                facts = facts.withOpen(false);
            } else if (!facts.open() && openNow) {
                out.add(new Contribution(Kpi.BACKLOG.id(), facts.dimensions(), at, Sums.gauge(1)));
                facts = facts.withOpen(true);
            }
        }
        return new Step(facts, out, complaint);
    }

    /**
     * When a person first answered the ticket, if this event is the first to say so: the ticket's
     * {@code firstResponseDate} (ticket-service sets it on a person's first note, take-up, question
     * to the customer or resolution; automation never sets it), or, on events written before the
     * ticket carried it, a first-response clock a person stopped. -1 if not.
     */
    private static long respondedAt(JsonNode ticket, JsonNode event, long at) {
        JsonNode first = TroubleTicketJson.characteristic(ticket, "firstResponseDate");
        if (first.isTextual()) {
            try {
                return OffsetDateTime.parse(first.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("firstResponseDate is not an RFC 3339 date-time");
            }
        }
        for (JsonNode clock : event.path("slaClocks")) {
            String outcome = clock.path("outcome").asText();
            if ("firstResponse".equals(clock.path("metric").asText()) && "stopped".equals(clock.path("state").asText())
                    && ("met".equals(outcome) || "breached".equals(outcome))) {
                return at;
            }
        }
        return -1;
    }

    /** A routing decision's queue becomes the ticket's team; an open ticket's backlog moves to it. */
    private static Step routed(TicketFacts before, JsonNode event) {
        JsonNode decision = event.path("event").path("routingDecision");
        String queue = text(decision, "queue");
        if (text(decision, "ticketId") == null || queue == null) {
            throw new IllegalArgumentException("a routing decision needs event.routingDecision.ticketId and queue");
        }
        if (before == null) {
            return new Step(null, List.of(), null);
        }
        TicketFacts after = before.withTeam(queue);
        List<Contribution> out = new ArrayList<>();
        moveBacklog(after, before.dimensions(), instant(event, "eventTime", before.lastSeenAt()), out);
        return new Step(after, out, null);
    }

    /**
     * The backlog counts an open ticket where it is now held: when its agent or team changes, it
     * leaves the old dimensions and joins the new ones (the total does not move).
     */
    private static void moveBacklog(TicketFacts now, Dimensions held, long at, List<Contribution> out) {
        if (now.open() && !held.equals(now.dimensions())) {
            out.add(new Contribution(Kpi.BACKLOG.id(), held, at, Sums.gauge(-1)));
            out.add(new Contribution(Kpi.BACKLOG.id(), now.dimensions(), at, Sums.gauge(1)));
        }
    }

    /** The ticket a ticket event is about: event.troubleTicket.id, or a routing decision's ticketId. */
    public static String ticketId(JsonNode event) {
        String id = text(event.path("event").path("troubleTicket"), "id");
        return id != null ? id : text(event.path("event").path("routingDecision"), "ticketId");
    }

    /** The event's own SLA clocks say a clock has breached, or the event reports a breach. */
    private static boolean breached(JsonNode event) {
        if ("breach".equals(event.path("slaStage").path("action").asText())) {
            return true;
        }
        for (JsonNode clock : event.path("slaClocks")) {
            if (clock.path("breached").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** Seconds the named SLA clock used (business time where its calendar defines it), else the wall-clock fallback. */
    private static long clockSeconds(JsonNode event, String metric, long fallback) {
        for (JsonNode clock : event.path("slaClocks")) {
            if (metric.equals(clock.path("metric").asText()) && "stopped".equals(clock.path("state").asText())
                    && clock.path("usedSeconds").canConvertToLong()) {
                return clock.path("usedSeconds").asLong();
            }
        }
        return Math.max(0, fallback);
    }

    private static String party(JsonNode ticket, String role) {
        return TroubleTicketJson.partyId(ticket, role);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    static long instant(JsonNode node, String field, long fallback) {
        String value = text(node, field);
        if (value == null) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an RFC 3339 date-time");
        }
    }
}
