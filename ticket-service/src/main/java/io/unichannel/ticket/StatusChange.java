package io.unichannel.ticket;

import java.time.OffsetDateTime;

/** One entry of a ticket's status history. */
public record StatusChange(String status, OffsetDateTime changeDate, String changeReason) {
}
