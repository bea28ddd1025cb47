package io.unichannel.identity.customer;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A customer of the operator, however many channels they use. Credentials and sessions live in
 * Keycloak (user {@link #keycloakUserId}); a merged record only forwards to its survivor.
 */
@Entity
@Table(name = "customer")
public class Customer extends PanacheEntityBase {

    @Id
    public String id;
    public String name;
    public String msisdn;
    public String valueTier;
    public String region;
    public String preferredChannel;
    public String registeredVia;
    public String keycloakUserId;
    public String servicePasswordHash;
    public String mergedInto;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;

    public boolean merged() {
        return mergedInto != null;
    }
}
