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

    /**
     * Publishes an outage notice for a customer as ticket-service's OutageNotices writes it (template
     * outage-opened or outage-cleared, channel preferred), checked against the event's schema.
     */
    public static String outage(String outageId, String phase, String customerId, String cause, String restoreText,
            OffsetDateTime expiresAt) throws Exception {
        String notificationId = "outage:" + outageId + ":" + phase + ":" + customerId;
        java.util.Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        parameters.put("outageId", outageId);
        parameters.put("area", "GZ-PANYU-03");
        parameters.put("cause", cause);
        if (restoreText != null) {
            parameters.put("expectedRestore", OffsetDateTime.now(ZoneOffset.UTC).plusHours(3).toString());
            parameters.put("restoreText", restoreText);
        }
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("notificationId", notificationId);
        data.put("customerId", customerId);
        data.put("channel", "preferred");
        data.put("template", "outage-" + phase);
        data.put("parameters", parameters);
        data.put("requestedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
        data.put("expiresAt", expiresAt.toString());
        String payload = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(data);
        io.unichannel.common.testing.EventSchemaAssert.assertValidPayload(EventTypes.NOTIFICATION_REQUESTED, payload);
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.NOTIFICATIONS, customerId,
                CloudEvent.of("/unichannel/ticket-service", EventTypes.NOTIFICATION_REQUESTED, customerId, payload)));
        return notificationId;
    }

    /** Why a notice is parked, or null when it is not. */
    public static String parkedReason(String noticeId) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/gateway_test";
        try (var db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                var query = db.prepareStatement("SELECT reason FROM parked_notice WHERE notice_id = ?")) {
            query.setString(1, noticeId);
            try (var row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
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
