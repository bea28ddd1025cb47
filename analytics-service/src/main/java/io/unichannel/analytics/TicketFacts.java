package io.unichannel.analytics;

/**
 * What analytics keeps about one ticket between its events: enough to count each KPI once
 * (the last sequence seen drops replays), to time the first response and the resolution, and
 * to move the backlog. Removed some time after the ticket closes.
 */
public record TicketFacts(String ticketId, long createdAt, String channel, String ticketType, String region,
        String customerId, String agent, int lastSequence, boolean responded, boolean resolved, boolean breached,
        boolean open, long lastSeenAt, String team) {

    public Dimensions dimensions() {
        return new Dimensions(channel, ticketType, region, agent, team);
    }

    /** The routing queue that took the ticket. */
    public TicketFacts withTeam(String queue) {
        return new TicketFacts(ticketId, createdAt, channel, ticketType, region, customerId, agent, lastSequence, responded,
                resolved, breached, open, lastSeenAt, queue);
    }

    public TicketFacts seen(int sequence, String assignee, long at) {
        return new TicketFacts(ticketId, createdAt, channel, ticketType, region, customerId,
                assignee == null ? agent : assignee, Math.max(lastSequence, sequence), responded, resolved, breached, open, at, team);
    }

    public TicketFacts withResponded() {
        return new TicketFacts(ticketId, createdAt, channel, ticketType, region, customerId, agent, lastSequence, true,
                resolved, breached, open, lastSeenAt, team);
    }

    public TicketFacts withResolved() {
        return new TicketFacts(ticketId, createdAt, channel, ticketType, region, customerId, agent, lastSequence, responded,
                true, breached, open, lastSeenAt, team);
    }

    public TicketFacts withBreached() {
        return new TicketFacts(ticketId, createdAt, channel, ticketType, region, customerId, agent, lastSequence, responded,
                resolved, true, open, lastSeenAt, team);
    }

    public TicketFacts withOpen(boolean isOpen) {
        return new TicketFacts(ticketId, createdAt, channel, ticketType, region, customerId, agent, lastSequence, responded,
                resolved, breached, isOpen, lastSeenAt, team);
    }
}
