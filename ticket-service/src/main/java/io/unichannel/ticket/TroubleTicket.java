package io.unichannel.ticket;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.unichannel.common.events.EventTypes;
import io.unichannel.ticket.sla.SlaClocks;
import io.unichannel.ticket.sla.SlaPolicySet.TicketFacts;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A work order (工单), modelled on TMF621 TroubleTicket. Its methods apply changes and say which
 * event they produce; the service persists the ticket and the event together.
 */
@Entity
@Table(name = "trouble_ticket")
public class TroubleTicket {

    @Id
    public String id;
    @Column(name = "request_id", nullable = false, unique = true)
    public UUID requestId;
    public String ticketType;
    public String description;
    public String category;
    public String severity;
    public String priority;
    public String status;
    public String statusChangeReason;
    public String channel;
    public String customerId;
    public String assignee;
    public String region;
    /** The partner system (its client id) that opened the ticket through the TMF621 API; null for channel intake. */
    public String reporter;
    public OffsetDateTime creationDate;
    public OffsetDateTime lastUpdate;
    public OffsetDateTime expectedResolutionDate;
    public OffsetDateTime resolutionDate;
    /** Number of events this ticket has produced; the create event is 1. */
    public int sequence;
    @Convert(converter = TicketLog.Converter.class)
    public TicketLog log = new TicketLog();
    /** The customer's value tier (e.g. gold), when the channel knew it; selects SLA policies. */
    public String customerTier;
    @Convert(converter = SlaClocks.Converter.class)
    public SlaClocks sla = new SlaClocks();
    /** For a follow-up opened by a survey answer: the ticket it follows up and the survey invitation that asked for it. */
    /** What the automatic fault diagnosis found (line, device, outage, customer-config, unknown); null when none ran. */
    public String diagnosis;
    /** The incident ticket this one is a child of (an area outage), or null. */
    public String parentTicketId;
    public String followUpOf;
    public String surveyInvitation;
    /** How urgent the customer said it was (high, normal): their claim, shown to agents, never the grade. */
    public String statedUrgency;
    /** When a person first answered or took up the ticket (automation never counts); null until then. */
    public OffsetDateTime firstResponseDate;
    /** When the next SLA warning, breach or escalation is due; null when none is. */
    public OffsetDateTime slaNextStageAt;
    /** A short name a partner gave the ticket (TMF621 name); null for channel intake. */
    public String name;
    /** When the partner asked for it to be resolved: their wish, shown to staff; the SLA sets the promise. */
    public OffsetDateTime requestedResolutionDate;
    /** Related entities, attachments, the partner's identifiers and ticket links, kept as given. */
    @Convert(converter = TicketDetails.Converter.class)
    public TicketDetails details = TicketDetails.NONE;

    /** Opens a ticket for a channel request: acknowledged, with its SLA target set. */
    public static TroubleTicket open(String id, ChannelRequest request, TicketType type, Severity severity,
            OffsetDateTime now) {
        TroubleTicket ticket = new TroubleTicket();
        ticket.id = id;
        ticket.requestId = request.requestId();
        ticket.ticketType = type.tmfName();
        ticket.description = request.description();
        ticket.category = request.category();
        ticket.statedUrgency = request.urgency();
        ticket.severity = severity.tmfName();
        ticket.priority = severity.defaultPriority();
        ticket.status = TicketStatus.ACKNOWLEDGED.tmfName();
        ticket.channel = request.channel();
        ticket.customerId = request.customerId();
        ticket.region = request.region();
        // The tier comes from the customer's registry record (the gateway reads it from the token),
        // never from the request's free attributes, which the customer writes.
        ticket.customerTier = request.customerTier();
        ticket.creationDate = now;
        ticket.lastUpdate = now;
        ticket.expectedResolutionDate = now.plus(type.resolutionTarget());
        ticket.sequence = 1;
        ticket.log.statusHistory().add(new StatusChange(ticket.status, now, null));
        return ticket;
    }

    /** What selects the ticket's SLA policy. */
    public TicketFacts slaFacts() {
        return new TicketFacts(ticketType, severity, priority, customerTier, channel, region, category);
    }

    public TicketStatus currentStatus() {
        return TicketStatus.fromTmfName(status).orElseThrow();
    }

    /**
     * Applies a staff change.
     *
     * @return the names of the attributes that changed (empty when nothing did)
     * @throws IllegalTransitionException when the status change is not allowed
     */
    public List<String> apply(TicketChange change, String actor, OffsetDateTime now) {
        List<String> changed = new ArrayList<>();
        if (change.status() != null && change.status() != currentStatus()) {
            if (!currentStatus().canMoveTo(change.status())) {
                throw new IllegalTransitionException(currentStatus(), change.status());
            }
            status = change.status().tmfName();
            statusChangeReason = change.statusChangeReason();
            log.statusHistory().add(new StatusChange(status, now, change.statusChangeReason()));
            if (change.status() == TicketStatus.RESOLVED) {
                resolutionDate = now;
            } else if (change.status() == TicketStatus.IN_PROGRESS) {
                resolutionDate = null;
            }
            changed.add("status");
        }
        if (change.noteText() != null) {
            log.notes().add(new Note(UUID.randomUUID().toString(), actor, now, change.noteText()));
            changed.add("note");
        }
        if (change.moreNotes() != null) {
            for (TicketChange.NewNote note : change.moreNotes()) {
                if (note.givenId() != null && log.notes().stream().anyMatch(n -> note.givenId().equals(n.id()))) {
                    continue;
                }
                log.notes().add(new Note(note.givenId() != null ? note.givenId() : UUID.randomUUID().toString(), actor, now,
                        note.text()));
                if (!changed.contains("note")) {
                    changed.add("note");
                }
            }
        }
        if (change.name() != null && !Objects.equals(change.name().orElse(null), name)) {
            name = change.name().orElse(null);
            changed.add("name");
        }
        if (change.description() != null && !change.description().equals(description)) {
            description = change.description();
            changed.add("description");
        }
        if (change.category() != null && !change.category().equals(category)) {
            category = change.category();
            changed.add("troubleTicketCharacteristic");
        }
        if (change.requestedResolutionDate() != null
                && !sameInstant(change.requestedResolutionDate().orElse(null), requestedResolutionDate)) {
            requestedResolutionDate = change.requestedResolutionDate().orElse(null);
            changed.add("requestedResolutionDate");
        }
        if (change.relatedEntity() != null && !change.relatedEntity().equals(details.relatedEntity())) {
            details = details.withRelatedEntity(change.relatedEntity());
            changed.add("relatedEntity");
        }
        if (change.attachment() != null && !change.attachment().equals(details.attachment())) {
            details = details.withAttachment(change.attachment());
            changed.add("attachment");
        }
        if (change.assignee() != null && !change.assignee().equals(assignee)) {
            assignee = change.assignee();
            changed.add("relatedParty");
        }
        if (change.priority() != null && !change.priority().equals(priority)) {
            priority = change.priority();
            changed.add("priority");
        }
        if (change.severity() != null && !change.severity().tmfName().equals(severity)) {
            severity = change.severity().tmfName();
            changed.add("severity");
        }
        if (!changed.isEmpty()) {
            lastUpdate = now;
            sequence++;
        }
        return changed;
    }

    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }

    /**
     * The customer's records were merged in identity-service: the ticket now belongs to the
     * survivor, so the survivor sees it in their history on every channel.
     */
    public void moveToCustomer(String survivorId, String reason, OffsetDateTime now) {
        customerId = survivorId;
        log.notes().add(new Note(UUID.randomUUID().toString(), "identity-service", now, reason));
        lastUpdate = now;
        sequence++;
    }

    /** A note by the platform itself (who an SLA stage told, say), kept in the ticket's history. */
    public void platformNote(String author, OffsetDateTime now, String text) {
        log.notes().add(new Note(UUID.randomUUID().toString(), author, now, text));
    }

    /** The TMF621 event type that reports the latest change. */
    public static String eventTypeFor(List<String> changedFields, TicketStatus status) {
        if (!changedFields.contains("status")) {
            return EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE;
        }
        return switch (status) {
            case RESOLVED -> EventTypes.TROUBLE_TICKET_RESOLVED;
            case PENDING -> EventTypes.TROUBLE_TICKET_INFORMATION_REQUIRED;
            default -> EventTypes.TROUBLE_TICKET_STATUS_CHANGE;
        };
    }
}
