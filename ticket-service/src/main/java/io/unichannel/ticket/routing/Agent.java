package io.unichannel.ticket.routing;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An agent as routing sees them, named as tickets name assignees (their user name). Skills and
 * capacity are JSON objects: {"complaint": 3} (levels 1-3), {"total": 5, "complaint": 2}.
 */
@Entity
@Table(name = "agent")
public class Agent extends PanacheEntityBase {

    @Id
    @Column(name = "agent_id")
    public String agentId;
    /** Comma-separated regions the agent serves. */
    public String regions;
    public String skills;
    public int seniority;
    public String capacity;
    public String presence;
    public OffsetDateTime presenceSince;
    /** The ticket the agent has been offered and not yet answered: at most one at a time. */
    public String offerTicket;
    public OffsetDateTime lastOfferedAt;
    public OffsetDateTime updatedAt;
}
