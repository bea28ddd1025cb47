package io.unichannel.ticket;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event already handled, recorded in the same transaction as its effect (idempotent consumers). */
@Entity
@Table(name = "processed_message")
public class ProcessedMessage extends PanacheEntityBase {

    @Id
    public String messageId;
    public String sourceTopic;
    public OffsetDateTime processedAt;

    public static ProcessedMessage of(String messageId, String sourceTopic, OffsetDateTime at) {
        ProcessedMessage message = new ProcessedMessage();
        message.messageId = messageId;
        message.sourceTopic = sourceTopic;
        message.processedAt = at;
        return message;
    }
}
