package io.unichannel.survey.messaging;

import java.time.Duration;
import java.time.OffsetDateTime;
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
import io.unichannel.survey.Resolution;
import io.unichannel.survey.SurveyDefinitions;
import io.unichannel.survey.service.InvitationService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of ticket events that starts a survey when a ticket is resolved. Other events are not
 * survey-service's business; a resolution that cannot be read goes to dead-letters with the
 * reason; a database outage is waited out.
 */
@ApplicationScoped
public class TicketEventConsumer {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;

    public static final String CHANNEL = "ticket-events";
    /** The external identifier ticket-service gives a follow-up ticket opened by a survey answer. */
    public static final String FOLLOW_UP_IDENTIFIER = "surveyFollowUp";

    private final InvitationService invitations;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public TicketEventConsumer(InvitationService invitations, DeadLetters deadLetters, ObjectMapper json) {
        this.invitations = invitations;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        consumerMetrics.consumed(record);
        CloudEvent event;
        Resolution resolution;
        try {
            event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.TROUBLE_TICKET_RESOLVED.equals(event.type())) {
                return Uni.createFrom().voidItem();
            }
            resolution = read(json.readTree(event.data()));
        } catch (Exception e) {
            return deadLetters.send(record, "not a readable resolution: " + e.getMessage());
        }
        return invitations.onResolved(event.id(), resolution)
                .invoke(outcome -> Log.debugf("Resolution of %s: survey %s", resolution.ticketId(), outcome))
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e).replaceWith(""))
                .onFailure().invoke(e -> Log.warnf("Survey for %s not decided yet (%s); retrying", resolution.ticketId(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }

    static Resolution read(JsonNode body) {
        JsonNode ticket = body.at("/event/troubleTicket");
        String id = ticket.path("id").asText("");
        String type = ticket.path("ticketType").asText("");
        String channel = ticket.path("channel").path("name").asText("");
        String customer = io.unichannel.common.events.TroubleTicketJson.partyId(ticket, "customer");
        String agent = io.unichannel.common.events.TroubleTicketJson.partyId(ticket, "assignee");
        UUID followUpOf = null;
        for (JsonNode external : ticket.path("externalIdentifier")) {
            if (FOLLOW_UP_IDENTIFIER.equals(external.path("externalIdentifierType").asText())) {
                followUpOf = UUID.fromString(external.path("id").asText());
            }
        }
        String region = io.unichannel.common.events.TroubleTicketJson.region(ticket);
        if (!Text.isValidRequired(id, 64, false) || !Text.isValidRequired(customer, 64, false)
                || !SurveyDefinitions.SERVICE_TYPES.contains(type) || !Channels.ALL.contains(channel)
                || region != null && !Text.isValidRequired(region, 64, false) || agent != null && !Text.isValidRequired(agent, 64, false)) {
            throw new IllegalArgumentException("a resolved ticket needs its id, customer, known type and channel");
        }
        OffsetDateTime resolvedAt = ticket.hasNonNull("resolutionDate") ? OffsetDateTime.parse(ticket.get("resolutionDate").asText())
                : null;
        return new Resolution(id, type, channel, customer, region, agent, resolvedAt, followUpOf);
    }
}
