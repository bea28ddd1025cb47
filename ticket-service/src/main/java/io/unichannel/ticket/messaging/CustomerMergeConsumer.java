package io.unichannel.ticket.messaging;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.validation.Text;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Failures;
import io.unichannel.common.events.InvalidCloudEventException;
import io.unichannel.ticket.service.TicketService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows customer merges from identity-events, so the survivor sees the merged customer's
 * tickets. Other identity events are not ticket-service's business; a malformed record goes to
 * dead-letters; a database outage is waited out.
 */
@ApplicationScoped
public class CustomerMergeConsumer {

    public static final String CHANNEL = "identity-events";

    private final TicketService tickets;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public CustomerMergeConsumer(TicketService tickets, DeadLetters deadLetters, ObjectMapper json) {
        this.tickets = tickets;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        String mergedId;
        String survivorId;
        CloudEvent event;
        try {
            event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.CUSTOMERS_MERGED.equals(event.type())) {
                return Uni.createFrom().voidItem();
            }
            JsonNode data = json.readTree(event.data());
            mergedId = data.path("mergedId").asText(null);
            survivorId = data.path("survivorId").asText(null);
            if (!Text.isValidRequired(mergedId, 64, false) || !Text.isValidRequired(survivorId, 64, false)
                    || mergedId.equals(survivorId)) {
                throw new IllegalArgumentException("CustomersMerged needs two different valid customer ids");
            }
        } catch (InvalidCloudEventException | IllegalArgumentException | java.io.IOException e) {
            return deadLetters.send(record, e.getMessage());
        }
        String from = mergedId;
        String to = survivorId;
        return tickets.followMerge(event.id(), from, to)
                .invoke(moved -> Log.infof("Customer %s merged into %s: %d tickets moved", from, to, moved))
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e).replaceWith(0))
                .onFailure().invoke(e -> Log.warnf("Following merge %s failed, retrying: %s", event.id(), e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }
}
