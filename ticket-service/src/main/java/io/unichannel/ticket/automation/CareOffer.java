package io.unichannel.ticket.automation;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One renewal reminder: the contract, the offer the rules chose, their inputs and version, the channel it went to. */
@Entity
@Table(name = "care_offer")
public class CareOffer extends PanacheEntityBase {

    @Id
    public String id;
    public String customerId;
    public LocalDate contractEnd;
    public String currentPackage;
    public String offeredPackage;
    /** upgrade, downgrade or renew */
    public String outcome;
    public String ruleSetVersion;
    /** JSON: the facts the rules saw. */
    public String inputs;
    /** JSON: what each rule concluded. */
    public String findings;
    /** JSON: the rules that fired, in order. */
    public String firedRules;
    public String channel;
    public OffsetDateTime decidedAt;
}
