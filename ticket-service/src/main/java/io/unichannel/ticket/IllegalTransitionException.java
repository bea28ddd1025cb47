package io.unichannel.ticket;

/** A status change the TMF621 state machine does not allow. */
public class IllegalTransitionException extends RuntimeException {

    private final TicketStatus from;
    private final TicketStatus to;

    public IllegalTransitionException(TicketStatus from, TicketStatus to) {
        super("A ticket that is " + from.tmfName() + " cannot become " + to.tmfName()
                + (from.isFinal() ? " (" + from.tmfName() + " is final)" : "; allowed: "
                        + from.next().stream().map(TicketStatus::tmfName).sorted().toList()));
        this.from = from;
        this.to = to;
    }

    public TicketStatus from() {
        return from;
    }

    public TicketStatus to() {
        return to;
    }
}
