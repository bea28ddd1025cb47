package io.unichannel.ticket.messaging;


import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.BatchProcessor;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Failures.PoisonException;
import io.unichannel.common.security.Channels;
import io.unichannel.common.validation.Text;
import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.Severity;
import io.unichannel.ticket.TicketType;
import io.unichannel.ticket.service.TicketService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of channel requests that opens one ticket per request id. A batch is handled in one
 * transaction. A record that can never become a ticket (malformed, or breaking a rule the
 * database enforces) goes to dead-letters with the reason and the others go on; a database outage
 * is waited out, never skipped.
 */
@ApplicationScoped
public class ChannelRequestConsumer {

    /** The messaging channel bound to the channel-requests topic. */
    public static final String CHANNEL = "channel-requests";

    private final TicketService tickets;
    private final BatchProcessor batches;
    private final ObjectReader reader;

    public ChannelRequestConsumer(TicketService tickets, BatchProcessor batches, ObjectMapper json) {
        this.tickets = tickets;
        this.batches = batches;
        this.reader = json.readerFor(ChannelRequest.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Categories only the platform assigns (each selects its own service-level policy). */
    static final java.util.Set<String> PLATFORM_CATEGORIES = java.util.Set.of(SurveyFollowUpConsumer.CATEGORY, "outage");

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        return batches.process(records, record -> Optional.of(parse(record)), tickets::openTickets);
    }

    private ChannelRequest parse(ConsumerRecord<String, String> record) {
        CloudEvent event = CloudEventRecords.fromOwner(record);
        if (!EventTypes.CHANNEL_REQUEST_SUBMITTED.equals(event.type())) {
            throw new PoisonException("unexpected event type " + event.type());
        }
        ChannelRequest request;
        try {
            request = reader.readValue(event.data());
        } catch (java.io.IOException e) {
            throw new PoisonException("payload is not a ChannelRequestSubmitted: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (request == null) {
            throw new PoisonException("payload is empty");
        }
        require(request.requestId() != null, "requestId is missing");
        require(Text.isValidRequired(request.customerId(), 64, false), "customerId is missing or invalid");
        require(request.channel() != null && Channels.ALL.contains(request.channel()),
                "channel is missing or unknown");
        check("description", Text.isValidRequired(request.description(), 4000, true) ? null
                : request.description() == null || request.description().isBlank() ? "missing"
                : Text.problem(request.description(), 4000, true));
        check("category", Text.problem(request.category(), 64, false));
        check("region", Text.problem(request.region(), 64, false));
        check("customerTier", Text.problem(request.customerTier(), 16, false));
        check("subject", Text.problem(request.subject(), 64, false));
        require(TicketType.fromTmfName(request.requestType()).isPresent(), "unknown requestType " + quoted(request.requestType()));
        require(request.severity() == null || Severity.fromTmfName(request.severity()).isPresent(),
                "unknown severity " + quoted(request.severity()));
        require(request.urgency() == null || "high".equals(request.urgency()) || "normal".equals(request.urgency()),
                "unknown urgency " + quoted(request.urgency()));
        require(request.category() == null || !PLATFORM_CATEGORIES.contains(request.category()),
                "category " + request.category() + " is assigned by the platform, never by a channel");
        return request;
    }

    /** A value named in a reason: short, and only when it is clean text. */
    private static String quoted(String value) {
        if (value == null || Text.problem(value, 40, false) != null) {
            return "(missing or unprintable)";
        }
        return value;
    }

    private static void check(String field, String problem) {
        if (problem != null) {
            throw new PoisonException(field + " is " + problem.replace("contains", "text that contains"));
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new PoisonException(reason);
        }
    }
}
