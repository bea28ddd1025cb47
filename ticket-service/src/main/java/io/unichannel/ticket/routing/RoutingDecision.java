package io.unichannel.ticket.routing;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One routing decision: offered, widened, no-candidate, expired, declined, accepted, released,
 * transferred, reassigned or escalated; with the candidates considered (JSON: agent, score,
 * factors) and the policy version.
 */
@Entity
@Table(name = "routing_decision")
public class RoutingDecision extends PanacheEntityBase {

    @Id
    public UUID id;
    public String ticketId;
    public OffsetDateTime decidedAt;
    public String policyVersion;
    public String queue;
    public String target;
    public String outcome;
    public String agentId;
    public String candidates;
    /** Assigned by the database in the order decisions are written. */
    @jakarta.persistence.Column(insertable = false, updatable = false)
    public Long seq;
}
