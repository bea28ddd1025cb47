package io.unichannel.ticket.automation;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One decision of a rule set: its inputs, the rule set's version, the rules that fired, the outcome and what was done. */
@Entity
@Table(name = "automation_decision")
public class AutomationDecision extends PanacheEntityBase {

    @Id
    public String id;
    public String ticketId;
    public String ruleSet;
    public String ruleSetVersion;
    public String mode;
    public String outcome;
    /** JSON: the facts the rules saw. */
    public String inputs;
    /** JSON: what each rule concluded (kind, code, message). */
    public String findings;
    /** JSON: the names of the rules that fired, in order. */
    public String firedRules;
    public String action;
    public OffsetDateTime decidedAt;
    public long decisionMicros;
    public long operatorMillis;
}
