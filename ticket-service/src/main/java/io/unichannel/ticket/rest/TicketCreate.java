package io.unichannel.ticket.rest;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A TMF621 TroubleTicket_FVO as a partner or system client posts it: description, severity and
 * ticket type as the spec requires, the customer it is for as a related party (role customer),
 * and optionally its name, the channel the customer follows it on, its region and category as
 * characteristics, the partner's own reference as an external identifier (which makes a retried
 * POST return the first one's ticket), the date the partner asks for, notes, attachments by
 * reference, related entities and links to other tickets. What it carries, the ticket keeps.
 */
@JsonIgnoreProperties({"@baseType", "@schemaLocation"})
public record TicketCreate(
        @JsonProperty("@type") @Pattern(regexp = "TroubleTicket", message = "must be TroubleTicket") String type,
        @Size(max = 200) String name,
        @NotBlank @Size(max = 4000) String description,
        @NotBlank @Pattern(regexp = "critical|major|minor", message = "must be critical, major or minor") String severity,
        @NotBlank @Pattern(regexp = "complaint|consultation|businessRequest|faultRepair",
                message = "must be complaint, consultation, businessRequest or faultRepair") String ticketType,
        @Valid ChannelInput channel,
        @NotEmpty @Size(max = 3) List<@Valid @NotNull PartyInput> relatedParty,
        @Size(max = 5) List<@Valid @NotNull ExternalInput> externalIdentifier,
        @Size(max = 10) List<@Valid @NotNull CharacteristicInput> troubleTicketCharacteristic,
        OffsetDateTime requestedResolutionDate,
        @Size(max = 10) List<TmfInputs.@Valid @NotNull NoteInput> note,
        @Size(max = 20) List<TmfInputs.@Valid @NotNull AttachmentInput> attachment,
        @Size(max = 20) List<TmfInputs.@Valid @NotNull RelatedEntityInput> relatedEntity,
        @Size(max = 10) List<TmfInputs.@Valid @NotNull RelationshipInput> troubleTicketRelationship) {

    @JsonIgnoreProperties({"@baseType", "@schemaLocation", "href", "@referredType"})
    public record ChannelInput(@Size(max = 32) String id, @Size(max = 32) String name,
            @JsonProperty("@type") @Size(max = 64) String type) {
    }

    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record PartyInput(@NotBlank @Pattern(regexp = "customer|reporter", message = "must be customer or reporter") String role,
            @NotNull @Valid TicketPatch.PartyRefInput partyOrPartyRole, @JsonProperty("@type") @Size(max = 64) String type) {
    }

    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record ExternalInput(@NotBlank @Size(max = 64) String id, @Size(max = 64) String externalIdentifierType,
            @Size(max = 64) String owner, @JsonProperty("@type") @Size(max = 64) String type) {
    }

    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record CharacteristicInput(@Size(max = 64) String id,
            @NotBlank @Pattern(regexp = "region|category", message = "must be region or category") String name,
            @Size(max = 32) String valueType, @NotBlank @Size(max = 64) String value,
            @JsonProperty("@type") @Size(max = 64) String type) {
    }
}
