package io.unichannel.ticket;

import java.time.OffsetDateTime;

/** A note on a ticket, by an agent or the customer. */
public record Note(String id, String author, OffsetDateTime date, String text) {
}
