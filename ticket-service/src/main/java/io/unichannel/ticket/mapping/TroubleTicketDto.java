package io.unichannel.ticket.mapping;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.unichannel.ticket.Note;
import io.unichannel.ticket.StatusChange;
import io.unichannel.ticket.TroubleTicket;

/** A ticket as TMF621 represents it, in the REST API and in ticket events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TroubleTicketDto(String id, String href, String ticketType, String description, String severity,
        String priority, String status, String statusChangeReason, List<StatusChangeDto> statusChangeHistory,
        OffsetDateTime creationDate, OffsetDateTime lastUpdate, OffsetDateTime expectedResolutionDate,
        OffsetDateTime resolutionDate, ChannelRef channel, List<RelatedParty> relatedParty,
        List<ExternalIdentifier> externalIdentifier, List<NoteDto> note, String region,
        List<Characteristic> characteristic, List<Relationship> troubleTicketRelationship) implements io.unichannel.common.security.AuditedCustomer {

    @Override
    public String auditedCustomerId() {
        return relatedParty == null ? null : relatedParty.stream().filter(p -> "customer".equals(p.role()))
                .map(RelatedParty::id).findFirst().orElse(null);
    }

    public static final String BASE_PATH = "/tmf-api/troubleTicket/v5/troubleTicket";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusChangeDto(String status, OffsetDateTime changeDate, String changeReason) {
    }

    public record ChannelRef(String name) {
    }

    public record RelatedParty(String id, String role, @JsonProperty("@referredType") String referredType) {
    }

    public record ExternalIdentifier(String id, String externalIdentifierType, String owner) {
    }

    /** A TMF630 characteristic: how the ticket carries attributes of our own, such as its category and SLA clocks. */
    public record Characteristic(String name, String valueType, Object value, @JsonProperty("@type") String type) {
    }

    /** The same ticket with its SLA clocks (state, target, time used and left) as the {@code slaClock} characteristic. */
    public TroubleTicketDto withSlaClocks(List<SlaClockView> clocks) {
        return new TroubleTicketDto(id, href, ticketType, description, severity, priority, status, statusChangeReason,
                statusChangeHistory, creationDate, lastUpdate, expectedResolutionDate, resolutionDate, channel,
                relatedParty, externalIdentifier, note, region,
                withFirst(new Characteristic("slaClock", "object", clocks, "ObjectArrayCharacteristic"), characteristic),
                troubleTicketRelationship);
    }

    private static List<Characteristic> withFirst(Characteristic first, List<Characteristic> others) {
        List<Characteristic> all = new ArrayList<>();
        all.add(first);
        if (others != null) {
            all.addAll(others);
        }
        return all;
    }

    /** TMF621 TroubleTicketRelationship: a follow-up names the ticket it follows up ("isFollowUpOf"). */
    public record Relationship(String id, String relationshipType, @JsonProperty("@type") String type) {
    }

    public record NoteDto(String id, String author, OffsetDateTime date, String text) {
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
        parties.add(new RelatedParty(t.customerId, "customer", "Customer"));
        if (t.assignee != null) {
            parties.add(new RelatedParty(t.assignee, "assignee", "Individual"));
        }
        List<StatusChangeDto> history = last(t.log.statusHistory(), lastChanges).stream()
                .map((StatusChange s) -> new StatusChangeDto(s.status(), s.changeDate(), s.changeReason())).toList();
        List<NoteDto> notes = last(t.log.notes(), lastNotes).stream()
                .map((Note n) -> new NoteDto(n.id(), n.author(), n.date(), n.text())).toList();
        return new TroubleTicketDto(t.id, BASE_PATH + "/" + t.id, t.ticketType, t.description, t.severity,
                t.priority, t.status, t.statusChangeReason, history, t.creationDate, t.lastUpdate,
                t.expectedResolutionDate, t.resolutionDate, new ChannelRef(t.channel), parties,
                t.surveyInvitation == null
                        ? List.of(new ExternalIdentifier(t.requestId.toString(), "channelRequest", "channel-gateway"))
                        : List.of(new ExternalIdentifier(t.requestId.toString(), "channelRequest", "channel-gateway"),
                                new ExternalIdentifier(t.surveyInvitation, "surveyFollowUp", "survey-service")),
                notes.isEmpty() ? null : notes, t.region,
                t.category == null ? null : List.of(new Characteristic("category", "string", t.category, "StringCharacteristic")),
                t.followUpOf == null ? null : List.of(new Relationship(t.followUpOf, "isFollowUpOf", "TroubleTicketRelationship")));
    }

    private static <T> List<T> last(List<T> list, int count) {
        return list.size() <= count ? list : list.subList(list.size() - count, list.size());
    }
}
