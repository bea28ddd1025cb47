package io.unichannel.ticket.hub;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One event for one subscription: pending until the partner's endpoint accepts it, dead once the retry budget is spent. */
@Entity
@Table(name = "hub_delivery")
public class HubDelivery extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String subscriptionId;
    public String eventId;
    public String ticketId;
    public int sequence;
    public String eventType;
    public String body;
    public String state;
    public int attempts;
    public OffsetDateTime nextAttemptAt;
    public OffsetDateTime leaseUntil;
    public Integer lastStatus;
    public String lastError;
    public OffsetDateTime createdAt;
    public OffsetDateTime deliveredAt;
}
