package io.unichannel.ticket.routing;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An unowned ticket's place in routing (removed once an agent accepts it or it is closed). */
@Entity
@Table(name = "routing_state")
public class RoutingState extends PanacheEntityBase {

    @Id
    public String ticketId;
    public String queue;
    /** Index of the bullseye target in force. */
    public int target;
    public OffsetDateTime targetSince;
    public String offeredTo;
    public OffsetDateTime offerExpiresAt;
    /** Comma-separated agents who declined the ticket or let its offer lapse. */
    public String declined = "";
    public long orderKey;
    public OffsetDateTime nextCheckAt;
    public OffsetDateTime unownedLimitAt;
    public boolean escalated;
    /** The last decision's outcome, so that waiting for a candidate is recorded once, not every second. */
    public String lastOutcome;
    public OffsetDateTime queuedAt;
}
