package io.unichannel.ticket.mapping;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.unichannel.common.events.Timestamps;
import io.unichannel.ticket.Note;
import io.unichannel.ticket.StatusChange;
import io.unichannel.ticket.TroubleTicket;

/**
 * A ticket as TMF621 Trouble Ticket v5 represents it, in the REST API, in ticket events and in
 * hub deliveries. Every entity carries its {@code @type}; our own attributes (category, region,
 * SLA clocks) ride in {@code troubleTicketCharacteristic}, so the body validates against the v5
 * TroubleTicket schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "href", "@type"})
public record TroubleTicketDto(String id, String href, @JsonProperty("@type") String type, String name,
        String ticketType, String description, String severity, String priority, String status,
        OffsetDateTime statusChangeDate, String statusChangeReason, List<StatusChangeDto> statusChangeHistory,
        OffsetDateTime creationDate, OffsetDateTime lastUpdate, OffsetDateTime expectedResolutionDate,
        OffsetDateTime resolutionDate, OffsetDateTime requestedResolutionDate, ChannelRef channel,
        List<RelatedParty> relatedParty, List<ExternalIdentifier> externalIdentifier, List<NoteDto> note,
        List<AttachmentRefDto> attachment, List<RelatedEntityDto> relatedEntity,
        List<Characteristic> troubleTicketCharacteristic, List<Relationship> troubleTicketRelationship,
        SpecificationRef troubleTicketSpecification) implements io.unichannel.common.security.AuditedCustomer {

    public static final String API_ROOT = "/tmf-api/troubleTicket/v5";
    public static final String BASE_PATH = API_ROOT + "/troubleTicket";

    @Override
    public String auditedCustomerId() {
        return partyId("customer");
    }

    /** The id of the party in this role, or null. */
    public String partyId(String role) {
        return relatedParty == null ? null : relatedParty.stream().filter(p -> role.equals(p.role()))
                .map(p -> p.partyOrPartyRole().id()).findFirst().orElse(null);
    }

    /** TMF621 StatusChange. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusChangeDto(String status, OffsetDateTime statusChangeDate, String statusChangeReason,
            @JsonProperty("@type") String type) {
    }

    /** ChannelRef: our channels are known by their name, which is also their id. */
    public record ChannelRef(String id, String name, @JsonProperty("@type") String type) {
        static ChannelRef of(String channel) {
            return new ChannelRef(channel, channel, "ChannelRef");
        }
    }

    /** RelatedPartyRefOrPartyRoleRef: the role a party plays on the ticket, and a reference to it. */
    public record RelatedParty(String role, PartyRef partyOrPartyRole, @JsonProperty("@type") String type) {
        static RelatedParty of(String role, String id, String refType, String referredType) {
            return new RelatedParty(role, new PartyRef(id, refType, referredType), "RelatedPartyRefOrPartyRoleRef");
        }
    }

    /** PartyRef (a person) or PartyRoleRef (a customer, a partner: roles a party plays toward the operator). */
    public record PartyRef(String id, @JsonProperty("@type") String type, @JsonProperty("@referredType") String referredType) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExternalIdentifier(String id, String externalIdentifierType, String owner,
            @JsonProperty("@type") String type) {
        public ExternalIdentifier(String id, String externalIdentifierType, String owner) {
            this(id, externalIdentifierType, owner, "ExternalIdentifier");
        }
    }

    /** A TMF630 characteristic: how the ticket carries attributes of our own, such as its category, region and SLA clocks. */
    public record Characteristic(String name, String valueType, Object value, @JsonProperty("@type") String type) {
        static Characteristic text(String name, String value) {
            return new Characteristic(name, "string", value, "StringCharacteristic");
        }
    }

    /** The specification (one per ticket type) the ticket follows. */
    public record SpecificationRef(String id, String href, String name, String version, @JsonProperty("@type") String type) {
        static SpecificationRef of(String ticketType) {
            return new SpecificationRef(ticketType, API_ROOT + "/troubleTicketSpecification/" + ticketType, ticketType,
                    TroubleTicketSpecificationDto.VERSION, "TroubleTicketSpecificationRef");
        }
    }

    /** The same ticket with its SLA clocks (state, target, time used and left) as the {@code slaClock} characteristic. */
    public TroubleTicketDto withSlaClocks(List<SlaClockView> clocks) {
        List<Characteristic> all = new ArrayList<>();
        all.add(new Characteristic("slaClock", "object", clocks, "ObjectArrayCharacteristic"));
        if (troubleTicketCharacteristic != null) {
            all.addAll(troubleTicketCharacteristic);
        }
        return new TroubleTicketDto(id, href, type, name, ticketType, description, severity, priority, status,
                statusChangeDate, statusChangeReason, statusChangeHistory, creationDate, lastUpdate,
                expectedResolutionDate, resolutionDate, requestedResolutionDate, channel, relatedParty, externalIdentifier,
                note, attachment, relatedEntity, all,
                troubleTicketRelationship, troubleTicketSpecification);
    }

    /** A follow-up names the ticket it follows up; a fault report of an area outage names the outage's incident ticket. */
    private static List<Relationship> relationships(io.unichannel.ticket.TroubleTicket t) {
        List<Relationship> all = new ArrayList<>();
        if (t.followUpOf != null) {
            all.add(Relationship.of(t.followUpOf, "isFollowUpOf"));
        }
        if (t.parentTicketId != null) {
            all.add(Relationship.of(t.parentTicketId, "isChildOf"));
        }
        t.details.relationship().forEach(r -> all.add(new Relationship(r.id(), r.href() == null ? BASE_PATH + "/" + r.id() : r.href(),
                r.name(), r.relationshipType(), "TroubleTicketRelationship", "TroubleTicket")));
        return all.isEmpty() ? null : all;
    }

    /** TMF621 TroubleTicketRelationship: "isFollowUpOf" (a survey follow-up) or "isChildOf" (an outage's incident). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Relationship(String id, String href, String name, String relationshipType, @JsonProperty("@type") String type,
            @JsonProperty("@referredType") String referredType) {
        static Relationship of(String ticketId, String relationshipType) {
            return new Relationship(ticketId, BASE_PATH + "/" + ticketId, null, relationshipType, "TroubleTicketRelationship",
                    "TroubleTicket");
        }
    }

    /** TMF621 AttachmentRef: a document the partner keeps, which the ticket points to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttachmentRefDto(String id, String href, String name, String description, String url, String mimeType,
            String attachmentType, @JsonProperty("@type") String type) {
        static AttachmentRefDto of(io.unichannel.ticket.TicketDetails.Attachment a) {
            return new AttachmentRefDto(a.id(), a.href(), a.name(), a.description(), a.url(), a.mimeType(), a.attachmentType(),
                    "AttachmentRef");
        }
    }

    /** TMF621 RelatedEntity: an entity (a bill, a line, a product) the ticket concerns, in a role. */
    public record RelatedEntityDto(String role, EntityRefDto entity, @JsonProperty("@type") String type) {
        static RelatedEntityDto of(io.unichannel.ticket.TicketDetails.RelatedEntity e) {
            return new RelatedEntityDto(e.role(), new EntityRefDto(e.id(), e.href(), e.name(), e.referredType(), "EntityRef"),
                    "RelatedEntity");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EntityRefDto(String id, String href, String name, @JsonProperty("@referredType") String referredType,
            @JsonProperty("@type") String type) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NoteDto(String id, String author, OffsetDateTime date, String text, @JsonProperty("@type") String type) {
    }

    public static TroubleTicketDto of(TroubleTicket t) {
        return of(t, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * The ticket as an event carries it: only the latest status change, and a note only when the
     * change added one, so an event stays small however long the ticket's history grows (its full
     * history is one GET away).
     */
    public static TroubleTicketDto forEvent(TroubleTicket t, List<String> changed) {
        return of(t, 1, changed != null && changed.contains("note") ? 1 : 0);
    }

    private static TroubleTicketDto of(TroubleTicket t, int lastChanges, int lastNotes) {
        List<RelatedParty> parties = new ArrayList<>();
        parties.add(RelatedParty.of("customer", t.customerId, "PartyRoleRef", "Customer"));
        if (t.assignee != null) {
            parties.add(RelatedParty.of("assignee", t.assignee, "PartyRef", "Individual"));
        }
        if (t.reporter != null) {
            parties.add(RelatedParty.of("reporter", t.reporter, "PartyRoleRef", "Partner"));
        }
        List<StatusChange> fullHistory = t.log.statusHistory();
        List<StatusChangeDto> history = last(fullHistory, lastChanges).stream()
                .map(s -> new StatusChangeDto(s.status(), s.changeDate(), s.changeReason(), "StatusChange")).toList();
        List<NoteDto> notes = last(t.log.notes(), lastNotes).stream()
                .map((Note n) -> new NoteDto(n.id(), n.author(), n.date(), n.text(), "Note")).toList();
        List<ExternalIdentifier> external = new ArrayList<>();
        external.add(new ExternalIdentifier(t.requestId.toString(), t.reporter == null ? "channelRequest" : "partnerRequest",
                t.reporter == null ? "channel-gateway" : t.reporter));
        t.details.externalIdentifier().forEach(e -> external.add(new ExternalIdentifier(e.id(),
                e.externalIdentifierType() == null ? "partnerReference" : e.externalIdentifierType(),
                e.owner() == null ? t.reporter : e.owner())));
        if (t.surveyInvitation != null) {
            external.add(new ExternalIdentifier(t.surveyInvitation, "surveyFollowUp", "survey-service"));
        }
        List<Characteristic> characteristics = new ArrayList<>();
        if (t.category != null) {
            characteristics.add(Characteristic.text("category", t.category));
        }
        if (t.region != null) {
            characteristics.add(Characteristic.text("region", t.region));
        }
        if (t.diagnosis != null) {
            characteristics.add(Characteristic.text("diagnosis", t.diagnosis));
        }
        if (t.statedUrgency != null) {
            characteristics.add(Characteristic.text("statedUrgency", t.statedUrgency));
        }
        if (t.firstResponseDate != null) {
            characteristics.add(Characteristic.text("firstResponseDate", Timestamps.rfc3339(t.firstResponseDate)));
        }
        List<AttachmentRefDto> attachments = t.details.attachment().stream().map(AttachmentRefDto::of).toList();
        List<RelatedEntityDto> entities = t.details.relatedEntity().stream().map(RelatedEntityDto::of).toList();
        return new TroubleTicketDto(t.id, BASE_PATH + "/" + t.id, "TroubleTicket", t.name, t.ticketType, t.description,
                t.severity, t.priority, t.status,
                fullHistory.isEmpty() ? null : fullHistory.get(fullHistory.size() - 1).changeDate(), t.statusChangeReason,
                history, t.creationDate, t.lastUpdate, t.expectedResolutionDate, t.resolutionDate,
                t.requestedResolutionDate, ChannelRef.of(t.channel), parties, external, notes.isEmpty() ? null : notes,
                attachments.isEmpty() ? null : attachments, entities.isEmpty() ? null : entities,
                characteristics.isEmpty() ? null : characteristics,
                relationships(t),
                SpecificationRef.of(t.ticketType));
    }

    private static <T> List<T> last(List<T> list, int count) {
        return list.size() <= count ? list : list.subList(list.size() - count, list.size());
    }
}
