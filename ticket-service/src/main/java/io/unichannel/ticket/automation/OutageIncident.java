package io.unichannel.ticket.automation;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The incident ticket opened for an area outage the OSS reports: one per outage, whatever the number of reports. */
@Entity
@Table(name = "outage_incident")
public class OutageIncident extends PanacheEntityBase {

    @Id
    public String outageId;
    public String area;
    public String parentTicketId;
    public OffsetDateTime openedAt;
}
