package io.unichannel.ticket;

/**
 * What staff change on a ticket in one PATCH; null fields stay as they are.
 *
 * @param status              the new status
 * @param statusChangeReason  why (recorded in the history)
 * @param noteText            a note to add
 * @param assignee            the new assignee's id
 * @param priority            the new priority
 * @param severity            the new incident grade
 */
public record TicketChange(TicketStatus status, String statusChangeReason, String noteText, String assignee,
        String priority, Severity severity) {

    public boolean isEmpty() {
        return status == null && noteText == null && assignee == null && priority == null && severity == null;
    }
}
