package io.unichannel.outbox.audit;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One staff access to personal data or a ticket, as ops query it (table access_audit). */
@Entity
@Table(name = "access_audit")
public class AccessAuditEntry {

    @Id
    public UUID id;
    public OffsetDateTime at;
    @Column(name = "staff_id")
    public String staffId;
    public String roles;
    @Column(name = "staff_region")
    public String staffRegion;
    public String action;
    @Column(name = "resource_type")
    public String resourceType;
    @Column(name = "resource_id")
    public String resourceId;
    @Column(name = "customer_ids")
    public String customerIds;
    public String purpose;
    public String operation;
    public int outcome;
}
