package io.unichannel.gateway.tracking;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a request's progress as every channel sees it.
 *
 * @param sequence  0 for the submission; then the ticket's own event sequence (1 = ticket created)
 * @param eventType RequestSubmitted, or the TMF621 event type
 * @param status    submitted, or the ticket's TMF621 status after this step
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(UUID requestId, String ticketId, int sequence, String eventType, String status,
        String statusChangeReason, String channel, OffsetDateTime time) {

    public static final String SUBMITTED = "RequestSubmitted";
}
