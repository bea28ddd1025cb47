package io.unichannel.ticket.rest;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A TMF621 merge-patch of a ticket (TroubleTicket_MVO): every attribute the platform does not set
 * itself. A list given replaces the ticket's list, except notes, which are history: the notes
 * given that the ticket does not have yet (no id, or an id it does not know) are added. A related
 * party is given the v5 way ({@code partyOrPartyRole.id}) or, as earlier clients do, by {@code id}.
 */
@JsonIgnoreProperties({"@baseType", "@schemaLocation"})
public record TicketPatch(
        @JsonProperty("@type") @Pattern(regexp = "TroubleTicket", message = "must be TroubleTicket") String type,
        @Size(max = 200) String name,
        @Size(min = 1, max = 4000) String description,
        String status,
        @Size(max = 1000) String statusChangeReason,
        @Size(max = 10) List<TmfInputs.@Valid @NotNull NoteInput> note,
        @Size(max = 1) List<@Valid @NotNull PartyInput> relatedParty,
        @Pattern(regexp = "urgent|high|medium|low", message = "must be urgent, high, medium or low") String priority,
        @Pattern(regexp = "critical|major|minor", message = "must be critical, major or minor") String severity,
        OffsetDateTime requestedResolutionDate,
        @Size(max = 20) List<TmfInputs.@Valid @NotNull AttachmentInput> attachment,
        @Size(max = 20) List<TmfInputs.@Valid @NotNull RelatedEntityInput> relatedEntity,
        @Size(max = 1) List<@Valid @NotNull CharacteristicInput> troubleTicketCharacteristic) {

    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record PartyInput(@Size(max = 64) String id,
            @Pattern(regexp = "assignee", message = "only the assignee can be changed") String role,
            @Valid PartyRefInput partyOrPartyRole, @JsonProperty("@type") @Size(max = 64) String type) {

        /** The party's id, however it was given; null when neither form names one. */
        public String partyId() {
            return partyOrPartyRole != null && partyOrPartyRole.id() != null ? partyOrPartyRole.id() : id;
        }
    }

    @JsonIgnoreProperties({"@baseType", "@schemaLocation", "href"})
    public record PartyRefInput(@jakarta.validation.constraints.NotBlank @Size(max = 64) String id, @Size(max = 200) String name,
            @JsonProperty("@type") @Pattern(regexp = "PartyRef|PartyRoleRef", message = "must be PartyRef or PartyRoleRef") String type,
            @JsonProperty("@referredType") @Size(max = 64) String referredType) {
    }

    /** The one characteristic staff may change: the category (the region follows the customer). */
    @JsonIgnoreProperties({"@baseType", "@schemaLocation", "id", "valueType"})
    public record CharacteristicInput(
            @NotNull @Pattern(regexp = "category", message = "only category can be changed (region follows the customer)") String name,
            @NotNull @Size(min = 1, max = 64) String value, @JsonProperty("@type") @Size(max = 64) String type) {
    }
}
