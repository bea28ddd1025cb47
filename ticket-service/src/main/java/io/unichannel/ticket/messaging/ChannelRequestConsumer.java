package io.unichannel.ticket.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.InvalidCloudEventException;
import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.Severity;
import io.unichannel.ticket.TicketType;
import io.unichannel.ticket.service.TicketService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of channel requests that opens one ticket per request id. Batches are handled in one
 * transaction; malformed records go to dead-letters; database outages are waited out, never skipped.
 */
@ApplicationScoped
public class ChannelRequestConsumer {

    /** The messaging channel bound to the channel-requests topic. */
    public static final String CHANNEL = "channel-requests";

    private final TicketService tickets;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public ChannelRequestConsumer(TicketService tickets, DeadLetters deadLetters, ObjectMapper json) {
        this.tickets = tickets;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<ChannelRequest> requests = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                requests.add(parse(record));
            } catch (RuntimeException e) {
                // Whatever is wrong with one record, it must not stop the others.
                deadLetters.send(record, e instanceof InvalidCloudEventException || e instanceof IllegalArgumentException
                        ? e.getMessage() : e.toString());
            }
        }
        return tickets.openTickets(requests)
                .onFailure().invoke(e -> Log.warnf("Opening %d tickets failed, retrying: %s", requests.size(), e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }

    private ChannelRequest parse(ConsumerRecord<String, String> record) {
        CloudEvent event = CloudEventRecords.fromRecord(record);
        if (!EventTypes.CHANNEL_REQUEST_SUBMITTED.equals(event.type())) {
            throw new IllegalArgumentException("unexpected event type " + event.type());
        }
        ChannelRequest request;
        try {
            request = json.readValue(event.data(), ChannelRequest.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("payload is not a ChannelRequestSubmitted: " + e.getMessage());
        }
        require(request.requestId() != null, "requestId is missing");
        require(request.customerId() != null && !request.customerId().isBlank(), "customerId is missing");
        require(request.channel() != null, "channel is missing");
        require(request.description() != null && !request.description().isBlank()
                && request.description().length() <= 4000, "description is missing or longer than 4000");
        require(TicketType.fromTmfName(request.requestType()).isPresent(), "unknown requestType " + request.requestType());
        require(request.severity() == null || Severity.fromTmfName(request.severity()).isPresent(),
                "unknown severity " + request.severity());
        return request;
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new IllegalArgumentException(reason);
        }
    }
}
