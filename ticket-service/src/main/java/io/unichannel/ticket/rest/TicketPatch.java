package io.unichannel.ticket.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A TMF621 merge-patch of a ticket: the attributes staff may change. */
public record TicketPatch(
        String status,
        @Size(max = 1000) String statusChangeReason,
        @Size(max = 1) List<@Valid NoteInput> note,
        @Size(max = 1) List<@Valid PartyInput> relatedParty,
        @Pattern(regexp = "urgent|high|medium|low", message = "must be urgent, high, medium or low") String priority,
        @Pattern(regexp = "critical|major|minor", message = "must be critical, major or minor") String severity) {

    public record NoteInput(@NotBlank @Size(max = 4000) String text) {
    }

    public record PartyInput(@NotBlank @Size(max = 64) String id,
            @Pattern(regexp = "assignee", message = "only the assignee can be changed") String role) {
    }
}
