package io.unichannel.identity.customer;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A merge one member of staff proposed and another must approve (four eyes) before it happens. */
@Entity
@Table(name = "merge_proposal")
public class MergeProposal extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";

    @Id
    public UUID id;
    public String survivorId;
    public String mergedId;
    public String reason;
    public String verification;
    public String proposedBy;
    public String proposedByName;
    public OffsetDateTime proposedAt;
    public String status;
    public String decidedBy;
    public String decidedByName;
    public OffsetDateTime decidedAt;
    public String decisionNote;
}
