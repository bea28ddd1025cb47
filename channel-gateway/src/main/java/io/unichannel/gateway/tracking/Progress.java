package io.unichannel.gateway.tracking;

import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a request's progress as every channel sees it.
 *
 * @param sequence  0 for the submission; then the ticket's own event sequence (1 = ticket created);
 *                  {@link #FAILED_SEQUENCE} when the request could never become a ticket
 * @param eventType RequestSubmitted, RequestFailed, or the TMF621 event type
 * @param status    submitted, failed, or the ticket's TMF621 status after this step
 * @param expectedBy the promise after this step: when the ticket's resolution clock reaches its
 *                   target; absent while the clock is paused (waiting on the customer) or before a ticket exists
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(UUID requestId, String ticketId, int sequence, String eventType, String status,
        String statusChangeReason, String channel, OffsetDateTime time, OffsetDateTime expectedBy) {

    public static final String SUBMITTED = "RequestSubmitted";
    public static final String FAILED = "RequestFailed";
    /** A failed request has no ticket steps; its failure comes after anything else it shows. */
    public static final int FAILED_SEQUENCE = 1_000_000;
    /** Statuses after which nothing more happens to a request. */
    public static final Set<String> FINAL = Set.of("closed", "cancelled", "rejected", "failed");

    @JsonIgnore
    public boolean isFinal() {
        return FINAL.contains(status);
    }

    /** The same step, told on the channel the request was made on. */
    public Progress withChannel(String requestChannel) {
        return new Progress(requestId, ticketId, sequence, eventType, status, statusChangeReason, requestChannel, time,
                expectedBy);
    }

    /** The id of this step in a customer's stream of all their requests. */
    @JsonIgnore
    public String customerStreamId() {
        return requestId + ":" + sequence;
    }
}
