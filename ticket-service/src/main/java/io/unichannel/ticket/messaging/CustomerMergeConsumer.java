package io.unichannel.ticket.messaging;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CustomerMerge;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.Failures;
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
        Optional<CustomerMerge> read;
        try {
            read = CustomerMerge.from(record, json);
        } catch (IllegalArgumentException e) {
            return deadLetters.send(record, e.getMessage());
        }
        if (read.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CustomerMerge merge = read.get();
        return tickets.followMerge(merge.eventId(), merge.mergedId(), merge.survivorId())
                .invoke(moved -> Log.infof("Customer %s merged into %s: %d tickets moved", merge.mergedId(), merge.survivorId(), moved))
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e).replaceWith(0))
                .onFailure().invoke(e -> Log.warnf("Following merge %s failed, retrying: %s", merge.eventId(), e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }
}
