package io.unichannel.ticket.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CustomerMerge;
import io.unichannel.common.events.DeadLetters;
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

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;

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
        consumerMetrics.consumed(record);
        return CustomerMerge.follow(record, json, deadLetters, merge -> tickets
                .followMerge(merge.eventId(), merge.mergedId(), merge.survivorId())
                .invoke(moved -> Log.infof("Customer %s merged into %s: %d tickets moved", merge.mergedId(), merge.survivorId(), moved)));
    }
}
