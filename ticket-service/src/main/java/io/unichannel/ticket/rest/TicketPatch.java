package io.unichannel.ticket.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A TMF621 merge-patch of a ticket (TroubleTicket_MVO): the attributes staff may change. A related
 * party is given the v5 way ({@code partyOrPartyRole.id}) or, as earlier clients do, by {@code id}.
 */
public record TicketPatch(
        @JsonProperty("@type") @Pattern(regexp = "TroubleTicket", message = "must be TroubleTicket") String type,
        String status,
        @Size(max = 1000) String statusChangeReason,
        @Size(max = 1) List<@Valid NoteInput> note,
        @Size(max = 1) List<@Valid PartyInput> relatedParty,
        @Pattern(regexp = "urgent|high|medium|low", message = "must be urgent, high, medium or low") String priority,
        @Pattern(regexp = "critical|major|minor", message = "must be critical, major or minor") String severity) {

    public record NoteInput(@NotBlank @Size(max = 4000) String text, @JsonProperty("@type") @Size(max = 64) String type) {
    }

    public record PartyInput(@Size(max = 64) String id,
            @Pattern(regexp = "assignee", message = "only the assignee can be changed") String role,
            @Valid PartyRefInput partyOrPartyRole, @JsonProperty("@type") @Size(max = 64) String type) {

        /** The party's id, however it was given; null when neither form names one. */
        public String partyId() {
            return partyOrPartyRole != null && partyOrPartyRole.id() != null ? partyOrPartyRole.id() : id;
        }
    }

    public record PartyRefInput(@NotBlank @Size(max = 64) String id, @Size(max = 200) String name,
            @JsonProperty("@type") @Pattern(regexp = "PartyRef|PartyRoleRef", message = "must be PartyRef or PartyRoleRef") String type,
            @JsonProperty("@referredType") @Size(max = 64) String referredType) {
    }
}
