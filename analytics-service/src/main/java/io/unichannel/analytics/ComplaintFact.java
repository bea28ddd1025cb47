package io.unichannel.analytics;

/** A complaint opened by a person, moved to that person's partition to find repeat complaints. */
public record ComplaintFact(String ticketId, String customerId, Dimensions dimensions, long at) {
}
