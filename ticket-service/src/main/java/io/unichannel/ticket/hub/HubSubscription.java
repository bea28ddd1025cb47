package io.unichannel.ticket.hub;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A partner's subscription to ticket events (TMF621 Hub). */
@Entity
@Table(name = "hub_subscription")
public class HubSubscription extends PanacheEntityBase {

    @Id
    public String id;
    public String partner;
    public String callback;
    public String query;
    public String secret;
    public String region;
    public OffsetDateTime createdAt;
}
