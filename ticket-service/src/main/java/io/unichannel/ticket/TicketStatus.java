package io.unichannel.ticket;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TMF621 trouble ticket statuses and the transitions between them (the reference implementation's
 * state machine). closed, cancelled and rejected are final.
 */
public enum TicketStatus {
    ACKNOWLEDGED("acknowledged"),
    REJECTED("rejected"),
    PENDING("pending"),
    HELD("held"),
    IN_PROGRESS("inProgress"),
    RESOLVED("resolved"),
    CLOSED("closed"),
    CANCELLED("cancelled");

    private static final Map<TicketStatus, Set<TicketStatus>> NEXT = Map.of(
            ACKNOWLEDGED, EnumSet.of(IN_PROGRESS, HELD, PENDING, CANCELLED, REJECTED),
            IN_PROGRESS, EnumSet.of(HELD, PENDING, RESOLVED, CANCELLED),
            HELD, EnumSet.of(IN_PROGRESS, PENDING, RESOLVED),
            PENDING, EnumSet.of(IN_PROGRESS, HELD, RESOLVED, CANCELLED),
            RESOLVED, EnumSet.of(CLOSED, IN_PROGRESS, HELD, PENDING),
            CLOSED, EnumSet.noneOf(TicketStatus.class),
            CANCELLED, EnumSet.noneOf(TicketStatus.class),
            REJECTED, EnumSet.noneOf(TicketStatus.class));

    private final String tmfName;

    TicketStatus(String tmfName) {
        this.tmfName = tmfName;
    }

    /** The name TMF621 uses on the wire, e.g. {@code inProgress}. */
    public String tmfName() {
        return tmfName;
    }

    public boolean canMoveTo(TicketStatus next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }

    /** The statuses this one may move to. */
    public Set<TicketStatus> next() {
        return NEXT.get(this);
    }

    public static Optional<TicketStatus> fromTmfName(String name) {
        return TmfNames.find(values(), TicketStatus::tmfName, name);
    }
}
