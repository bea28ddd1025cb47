package io.unichannel.ticket;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A customer id retired by a merge in identity-service, and the survivor it stands for now. */
@Entity
@Table(name = "customer_alias")
public class CustomerAlias extends PanacheEntityBase {

    @Id
    public String mergedId;
    public String survivorId;
    public OffsetDateTime mergedAt;
}
