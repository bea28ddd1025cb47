package io.unichannel.gateway.tracking;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Failures.PoisonException;
import io.unichannel.common.events.Topics;
import io.unichannel.common.security.Channels;
import io.unichannel.common.validation.Text;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the records of channel-requests, ticket-events, identity-events and dead-letters as
 * progress updates, checking every field against what the progress view stores. Records that
 * are none of the view's business give empty; records that break the rules throw
 * {@link PoisonException} with the reason.
 */
@ApplicationScoped
public class ProgressRecords {

    private static final java.util.Set<String> STAFF_ONLY = java.util.Set.of(EventTypes.TROUBLE_TICKET_SLA_WARNING,
            EventTypes.TROUBLE_TICKET_SLA_BREACH, EventTypes.TROUBLE_TICKET_ESCALATION, EventTypes.TROUBLE_TICKET_ROUTED);

    private final ObjectMapper json;

    public ProgressRecords(ObjectMapper json) {
        this.json = json;
    }

    public Optional<ProgressUpdate> parse(ConsumerRecord<String, String> record) {
        CloudEvent event;
        JsonNode body;
        try {
            event = CloudEventRecords.fromOwner(record);
            body = json.readTree(event.data());
        } catch (IOException | RuntimeException e) {
            throw new PoisonException("not a readable CloudEvent: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw new PoisonException("event data is not a JSON object");
        }
        if (EventTypes.CHANNEL_REQUEST_SUBMITTED.equals(event.type())) {
            return Optional.of(new ProgressUpdate.Step(customer(body.path("customerId")), new Progress(
                    uuid(body.path("requestId")), null, 0, Progress.SUBMITTED, "submitted", null,
                    channel(body.path("channel")), time(body.path("submittedAt")), null)));
        }
        if (EventTypes.CUSTOMERS_MERGED.equals(event.type())) {
            return Optional.of(new ProgressUpdate.Merge(customer(body.path("mergedId")), customer(body.path("survivorId"))));
        }
        if (EventTypes.DEAD_LETTER.equals(event.type())) {
            // Only ticket-service may say that a request could not become a ticket.
            return Topics.TICKET_SERVICE.equals(event.source()) ? failure(body) : Optional.empty();
        }
        if (STAFF_ONLY.contains(event.type())) {
            // SLA warnings, breaches, escalations and routing decisions are for staff; the customer sees the promise move instead.
            return Optional.empty();
        }
        if (Topics.TICKET_EVENTS.equals(record.topic()) && EventTypes.BY_TOPIC.get(Topics.TICKET_EVENTS).contains(event.type())) {
            JsonNode ticket = body.at("/event/troubleTicket");
            String customer = io.unichannel.common.events.TroubleTicketJson.partyId(ticket, "customer");
            int sequence = body.path("sequence").asInt(-1);
            if (sequence < 1 || sequence >= Progress.FAILED_SEQUENCE) {
                throw new PoisonException("sequence is missing or out of range");
            }
            return Optional.of(new ProgressUpdate.Step(customer(customer), new Progress(uuid(body.path("correlationId")),
                    text(ticket.path("id").asText(null), 32, "ticket id", true), sequence, event.type(),
                    text(ticket.path("status").asText(null), 16, "status", true),
                    text(ticket.path("statusChangeReason").asText(null), 1000, "statusChangeReason", false, true),
                    channel(ticket.at("/channel/name")), time(body.path("eventTime")),
                    ticket.hasNonNull("expectedResolutionDate") ? time(ticket.get("expectedResolutionDate")) : null)));
        }
        return Optional.empty();
    }

    /** A channel request ticket-service set aside: the customer sees their request failed, with the reason. */
    private Optional<ProgressUpdate> failure(JsonNode letter) {
        if (!Topics.CHANNEL_REQUESTS.equals(letter.path("originalTopic").asText())
                || !"ticket-service".equals(letter.path("consumer").asText())) {
            return Optional.empty();
        }
        UUID requestId;
        try {
            requestId = UUID.fromString(letter.path("key").asText(""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String reason = "The request could not be accepted: " + letter.path("reason").asText("unknown reason");
        return Optional.of(new ProgressUpdate.Failure(new Progress(requestId, null, Progress.FAILED_SEQUENCE,
                Progress.FAILED, "failed", reason.length() > 1000 ? reason.substring(0, 1000) : reason, null,
                time(letter.path("failedAt")), null)));
    }

    private static UUID uuid(JsonNode node) {
        try {
            return UUID.fromString(node.asText(""));
        } catch (IllegalArgumentException e) {
            throw new PoisonException("request id is missing or not a UUID");
        }
    }

    private static String customer(JsonNode node) {
        return customer(node.isTextual() ? node.asText() : null);
    }

    private static String customer(String id) {
        return text(id, 64, "customer id", true);
    }

    private static String channel(JsonNode node) {
        String channel = node.asText(null);
        if (channel == null || !Channels.ALL.contains(channel)) {
            throw new PoisonException("channel is missing or unknown");
        }
        return channel;
    }

    private static OffsetDateTime time(JsonNode node) {
        try {
            return OffsetDateTime.parse(node.asText(""));
        } catch (RuntimeException e) {
            throw new PoisonException("time is missing or not RFC 3339");
        }
    }

    private static String text(String value, int max, String name, boolean required) {
        return text(value, max, name, required, false);
    }

    private static String text(String value, int max, String name, boolean required, boolean multiLine) {
        if (required && (value == null || value.isBlank())) {
            throw new PoisonException(name + " is missing");
        }
        String problem = Text.problem(value, max, multiLine);
        if (problem != null) {
            throw new PoisonException(name + " is " + problem.replace("contains", "text that contains"));
        }
        return value;
    }
}
