package io.unichannel.identity.customer;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Audit record of one merge: who merged which record into which, why, and on what verification. */
@Entity
@Table(name = "customer_merge")
public class CustomerMerge extends PanacheEntityBase {

    @Id
    public UUID id;
    public String survivorId;
    public String mergedId;
    public String mergedBy;
    public String mergedByName;
    /** Who proposed the merge; mergedBy is the supervisor who approved it. */
    public String proposedBy;
    public String proposedByName;
    public String reason;
    public String verification;
    public int movedIdentities;
    public OffsetDateTime mergedAt;
}
