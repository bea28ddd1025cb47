package io.unichannel.identity.customer;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One channel identity bound to a customer; ID documents are kept only as a keyed hash. */
@Entity
@Table(name = "channel_identity")
public class ChannelIdentity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String customerId;
    public String identityType;
    public String externalId;
    public String masked;
    public OffsetDateTime boundAt;
    public String boundBy;
}
