package io.unichannel.ticket.automation;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A ticket the rules may settle, written in the transaction that opens it; pending until settled. */
@Entity
@Table(name = "automation_task")
public class AutomationTask extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String DONE = "done";

    @Id
    public String ticketId;
    public String kind;
    public String customerId;
    public String targetPackage;
    public String question;
    public String state;
    public int attempts;
    public OffsetDateTime nextAttemptAt;
    public OffsetDateTime leaseUntil;
    public String lastError;
    public OffsetDateTime createdAt;
    /** A decision already taken and about to be (or being) carried out, as JSON; null until then. */
    public String decision;
}
