package io.unichannel.ticket.hub;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.BatchProcessor;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Failures.PoisonException;
import io.unichannel.common.events.Topics;
import io.unichannel.common.events.TroubleTicketJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads ticket-events (its own consumer group) and records one pending delivery per subscription
 * whose partner is entitled to the ticket and whose query matches. A redelivered record adds
 * nothing (one row per subscription and event id). Ticket events of one ticket share a partition,
 * so deliveries are recorded in the ticket's order.
 */
@ApplicationScoped
public class HubFanOut {

    public static final String CHANNEL = "hub-ticket-events";
    private static final java.util.regex.Pattern PRINTABLE = java.util.regex.Pattern.compile("[\\x21-\\x7E]+");

    private final BatchProcessor batches;
    /** Strict: a body with anything after its JSON document is not a ticket event; partners get exactly what was published. */
    private final com.fasterxml.jackson.databind.ObjectReader json;

    private final HubDeliverer deliverer;

    public HubFanOut(BatchProcessor batches, ObjectMapper json, HubDeliverer deliverer) {
        this.deliverer = deliverer;
        this.batches = batches;
        this.json = json.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A ticket event as the hub needs it. */
    record TicketEvent(String eventId, String eventType, String ticketId, int sequence, String reporter, String region,
            OffsetDateTime eventTime, JsonNode body, String raw) {
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        return batches.process(records, this::parse, this::record);
    }

    private Optional<TicketEvent> parse(ConsumerRecord<String, String> record) {
        // Only ticket-service speaks on ticket-events: an event in anyone else's name never reaches a partner.
        CloudEvent event = CloudEventRecords.fromOwner(record);
        if (!EventTypes.BY_TOPIC.get(Topics.TICKET_EVENTS).contains(event.type())) {
            throw new PoisonException("unexpected event type " + event.type());
        }
        if (!HubEvents.PARTNER_TYPES.contains(event.type())) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = json.readTree(event.data());
        } catch (Exception e) {
            throw new PoisonException("data is not JSON");
        }
        JsonNode ticket = body.path("event").path("troubleTicket");
        String id = ticket.path("id").asText(null);
        String eventId = body.path("eventId").asText(null);
        if (!body.isObject() || id == null || !PRINTABLE.matcher(id).matches() || id.length() > 32 || eventId == null
                || !PRINTABLE.matcher(eventId).matches() || eventId.length() > 64 || !body.path("sequence").canConvertToInt()) {
            throw new PoisonException("a ticket event needs eventId (it travels as a header), sequence and event.troubleTicket.id, "
                    + "printable ASCII without spaces");
        }
        OffsetDateTime eventTime;
        try {
            eventTime = OffsetDateTime.parse(body.path("eventTime").asText());
        } catch (RuntimeException e) {
            throw new PoisonException("eventTime is not an RFC 3339 date-time");
        }
        return Optional.of(new TicketEvent(eventId, event.type(), id, body.path("sequence").asInt(),
                TroubleTicketJson.partyId(ticket, "reporter"), TroubleTicketJson.region(ticket), eventTime, body, event.data()));
    }

    @WithTransaction
    Uni<Integer> record(List<TicketEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return HubSubscription.<HubSubscription>listAll().chain(subscriptions -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            List<Object[]> rows = new java.util.ArrayList<>();
            for (HubSubscription subscription : subscriptions) {
                HubQuery query = HubQuery.parse(subscription.query);
                for (TicketEvent event : events) {
                    boolean entitled = subscription.partner.equals(event.reporter())
                            || subscription.region != null && subscription.region.equals(event.region());
                    // A subscription receives what happens after it was made, however far behind this consumer is.
                    if (entitled && !event.eventTime().isBefore(subscription.createdAt) && query.matches(event.body())) {
                        rows.add(new Object[] {subscription.id, event.eventId(), event.ticketId(), event.sequence(),
                                event.eventType(), event.raw(), now});
                    }
                }
            }
            return Panache.getSession().chain(session -> Multi.createFrom().iterable(rows)
                    .onItem().transformToUniAndConcatenate(row -> session.createNativeQuery(
                            "INSERT INTO hub_delivery (subscription_id, event_id, ticket_id, sequence, event_type, body, state, "
                                    + "next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7) "
                                    + "ON CONFLICT (subscription_id, event_id) DO NOTHING")
                            .setParameter(1, row[0]).setParameter(2, row[1]).setParameter(3, row[2]).setParameter(4, row[3])
                            .setParameter(5, row[4]).setParameter(6, row[5]).setParameter(7, row[6]).executeUpdate())
                    .collect().asList().map(List::size)).invoke(count -> {
                        if (count > 0) {
                            deliverer.wake();
                        }
                    });
        });
    }
}
