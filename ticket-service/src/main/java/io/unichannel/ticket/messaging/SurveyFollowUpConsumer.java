package io.unichannel.ticket.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Failures;
import io.unichannel.common.security.Channels;
import io.unichannel.common.validation.Text;
import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.TicketType;
import io.unichannel.ticket.service.TicketService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of survey events that opens a follow-up ticket when a survey answer asks for one (a
 * detractor, "not solved", "not fixed"): a complaint in the customer's region on the channel they
 * used, category surveyFollowUp (its SLA policy: acted on within 48 hours), linked to the ticket
 * it follows up. Other survey events are not ticket-service's business; a malformed one goes to
 * dead-letters; a database outage is waited out.
 */
@ApplicationScoped
public class SurveyFollowUpConsumer {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;

    public static final String CHANNEL = "survey-events";
    public static final String CATEGORY = "surveyFollowUp";
    private static final Map<String, String> REASONS = Map.of(
            "detractor", "the customer would not recommend us",
            "dissatisfied", "the customer was dissatisfied",
            "notSolved", "the customer says the problem is not solved",
            "notFixed", "the customer says the problem is still not fixed");

    private final TicketService tickets;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public SurveyFollowUpConsumer(TicketService tickets, DeadLetters deadLetters, ObjectMapper json) {
        this.tickets = tickets;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        consumerMetrics.consumed(record);
        TicketService.FollowUp followUp;
        try {
            CloudEvent event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.SURVEY_FOLLOW_UP_REQUESTED.equals(event.type())) {
                return Uni.createFrom().voidItem();
            }
            followUp = read(json.readTree(event.data()));
        } catch (Exception e) {
            return deadLetters.send(record, "not a readable follow-up request: " + e.getMessage());
        }
        return tickets.openFollowUps(java.util.List.of(followUp))
                .invoke(opened -> Log.infof("Survey follow-up of %s: %d ticket opened", followUp.followUpOf(), opened))
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e).replaceWith(0))
                .onFailure().invoke(e -> Log.warnf("Follow-up of %s not opened yet (%s); retrying", followUp.followUpOf(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }

    static TicketService.FollowUp read(JsonNode data) {
        String invitation = data.path("invitationId").asText("");
        String ticketId = data.path("ticketId").asText("");
        String customer = data.path("customerId").asText("");
        String channel = data.path("channel").asText("");
        String reason = data.path("reason").asText("");
        String region = data.hasNonNull("region") ? data.get("region").asText() : null;
        String comment = data.path("comment").asText("");
        if (!Text.isValidRequired(invitation, 64, false) || !Text.isValidRequired(ticketId, 64, false)
                || !Text.isValidRequired(customer, 64, false) || !Channels.ALL.contains(channel) || !REASONS.containsKey(reason)
                || region != null && !Text.isValidRequired(region, 64, false) || Text.problem(comment, 2000, true) != null) {
            throw new IllegalArgumentException("a follow-up needs the invitation, ticket, customer, channel and a known reason");
        }
        String description = "Survey follow-up of " + ticketId + ": " + REASONS.get(reason)
                + (comment.isBlank() ? "." : ". The customer wrote: " + comment.strip());
        UUID requestId = UUID.nameUUIDFromBytes(("survey-follow-up:" + invitation).getBytes(StandardCharsets.UTF_8));
        ChannelRequest request = new ChannelRequest(requestId, "survey-" + invitation, channel, customer, null,
                TicketType.COMPLAINT.tmfName(), description, CATEGORY, "major", null, region, null, Map.of(),
                OffsetDateTime.parse(data.path("requestedAt").asText()));
        return new TicketService.FollowUp(request, ticketId, invitation);
    }
}
