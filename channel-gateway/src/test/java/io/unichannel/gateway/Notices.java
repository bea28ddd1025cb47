package io.unichannel.gateway;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;

/** What ticket-service would publish when a ticket is resolved, and what the gateway recorded of its notices. */
public final class Notices {

    private Notices() {
    }

    /** Publishes a TroubleTicketResolvedEvent for the customer's ticket, as ticket-service does. */
    public static void resolve(String requestId, String ticketId, String customerId, String channel) {
        String payload = """
                {"eventId":"%s","eventTime":"%s","eventType":"TroubleTicketResolvedEvent","correlationId":"%s",\
                "sequence":4,"event":{"troubleTicket":{"id":"%s","status":"resolved","channel":{"name":"%s"},\
                "relatedParty":[{"id":"%s","role":"customer","@referredType":"Customer"}]}}}"""
                .formatted(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), requestId, ticketId, channel, customerId);
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, ticketId, new CloudEvent(UUID.randomUUID().toString(),
                Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_RESOLVED, ticketId, OffsetDateTime.now(ZoneOffset.UTC), payload)));
    }

    /** The outcome the delivery ledger holds for a notice, or null. */
    public static String outcome(String notificationId) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/gateway_test";
        try (var db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                var query = db.prepareStatement("SELECT outcome FROM notification_delivery WHERE notification_id = ?")) {
            query.setString(1, notificationId);
            try (var row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
