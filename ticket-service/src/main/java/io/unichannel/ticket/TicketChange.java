package io.unichannel.ticket;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * What one change does to a ticket (a staff PATCH, automation); null fields stay as they are. The
 * attributes a TMF621 merge-patch may remove ({@code name}, {@code requestedResolutionDate}) are
 * optional: empty removes them. A list given replaces the ticket's list (an empty one clears it).
 *
 * @param status                  the new status
 * @param statusChangeReason      why (recorded in the history)
 * @param noteText                a note to add
 * @param assignee                the new assignee's id
 * @param priority                the new priority
 * @param severity                the new incident grade
 * @param moreNotes               further notes to add, in order (one whose id the ticket has is not added again)
 * @param name                    the ticket's new name; empty removes it
 * @param description             the new description
 * @param category                the new category
 * @param requestedResolutionDate the date asked for; empty removes it
 * @param relatedEntity           the entities the ticket concerns
 * @param attachment              the attachments, by reference
 */
public record TicketChange(TicketStatus status, String statusChangeReason, String noteText, String assignee,
        String priority, Severity severity, List<NewNote> moreNotes, Optional<String> name, String description,
        String category, Optional<OffsetDateTime> requestedResolutionDate, List<TicketDetails.RelatedEntity> relatedEntity,
        List<TicketDetails.Attachment> attachment) {

    /** A change of status, note, owner, priority or grade: what automation and the desk make. */
    public TicketChange(TicketStatus status, String statusChangeReason, String noteText, String assignee, String priority,
            Severity severity) {
        this(status, statusChangeReason, noteText, assignee, priority, severity, null, null, null, null, null, null, null);
    }

    /** A note to add; when the client named it, its id, so the same note sent again is not added twice. */
    public record NewNote(String givenId, String text) {
    }

    public boolean isEmpty() {
        return status == null && noteText == null && assignee == null && priority == null && severity == null
                && (moreNotes == null || moreNotes.isEmpty()) && name == null && description == null && category == null
                && requestedResolutionDate == null && relatedEntity == null && attachment == null;
    }
}
