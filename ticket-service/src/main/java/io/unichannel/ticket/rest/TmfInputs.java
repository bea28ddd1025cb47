package io.unichannel.ticket.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.unichannel.ticket.TicketDetails;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The TMF621 sub-resources a partner may give a ticket when opening or changing it, as the v5
 * document names them. The Extensible attributes {@code @baseType} and {@code @schemaLocation} are
 * read and ignored: they describe the body, not the ticket.
 */
public final class TmfInputs {

    private TmfInputs() {
    }

    /** A note: its text is kept; the author is whoever is signed in and the date is when it arrived. */
    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record NoteInput(@Size(max = 64) String id, @Size(max = 200) String author, String date,
            @NotBlank @Size(max = 4000) String text, @JsonProperty("@type") @Pattern(regexp = "Note", message = "must be Note") String type) {
    }

    /**
     * An attachment by reference (AttachmentRef, or an Attachment that points to its document with a
     * url). Inline content is refused: the platform keeps references, the partner keeps documents.
     */
    @JsonIgnoreProperties({"@baseType", "@schemaLocation", "@referredType", "size", "validFor"})
    public record AttachmentInput(@Size(max = 64) String id, @Size(max = 500) String href, @Size(max = 200) String name,
            @Size(max = 500) String description, @Size(max = 500) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String url,
            @Size(max = 100) String mimeType, @Size(max = 64) String attachmentType,
            @Size(max = 0, message = "is not stored: send the attachment by reference (url)") String content,
            @JsonProperty("@type") @NotNull @Pattern(regexp = "AttachmentRef|Attachment", message = "must be AttachmentRef or Attachment") String type) {

        TicketDetails.Attachment toDetail() {
            return new TicketDetails.Attachment(id, href, name, description, url, mimeType, attachmentType);
        }
    }

    /** An entity the ticket concerns (a bill, a line, a product), in a role. */
    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record RelatedEntityInput(@Size(max = 64) String role, @NotNull @Valid EntityRefInput entity,
            @JsonProperty("@type") @Pattern(regexp = "RelatedEntity", message = "must be RelatedEntity") String type) {

        TicketDetails.RelatedEntity toDetail() {
            return new TicketDetails.RelatedEntity(role, entity.id(), entity.href(), entity.name(), entity.referredType());
        }
    }

    @JsonIgnoreProperties({"@baseType", "@schemaLocation"})
    public record EntityRefInput(@NotBlank @Size(max = 64) String id, @Size(max = 500) String href, @Size(max = 200) String name,
            @JsonProperty("@referredType") @Size(max = 64) String referredType,
            @JsonProperty("@type") @Size(max = 64) String type) {
    }

    /** A link to another ticket, kept as given. */
    @JsonIgnoreProperties({"@baseType", "@schemaLocation", "@referredType"})
    public record RelationshipInput(@NotBlank @Size(max = 64) String id, @Size(max = 500) String href, @Size(max = 200) String name,
            @NotBlank @Size(max = 64) String relationshipType,
            @JsonProperty("@type") @Pattern(regexp = "TroubleTicketRelationship", message = "must be TroubleTicketRelationship") String type) {

        TicketDetails.Relationship toDetail() {
            return new TicketDetails.Relationship(id, href, name, relationshipType);
        }
    }

    /** The notes to add, their text checked as printable. */
    static List<io.unichannel.ticket.TicketChange.NewNote> notes(List<NoteInput> inputs) {
        if (inputs == null) {
            return List.of();
        }
        for (NoteInput note : inputs) {
            if (!io.unichannel.common.validation.Text.isValidRequired(note.text(), 4000, true)
                    || note.id() != null && !io.unichannel.common.validation.Text.isValidRequired(note.id(), 64, false)) {
                throw new io.unichannel.common.problem.ProblemException(io.unichannel.common.problem.ProblemTypes.INVALID_REQUEST,
                        "Invalid request", 400, "a note needs printable text (and a printable id of at most 64 characters, if any)");
            }
        }
        return inputs.stream().map(n -> new io.unichannel.ticket.TicketChange.NewNote(n.id(), n.text())).toList();
    }

    static List<TicketDetails.Attachment> attachments(List<AttachmentInput> inputs) {
        return inputs == null ? null : inputs.stream().map(AttachmentInput::toDetail).toList();
    }

    static List<TicketDetails.RelatedEntity> entities(List<RelatedEntityInput> inputs) {
        return inputs == null ? null : inputs.stream().map(RelatedEntityInput::toDetail).toList();
    }
}
