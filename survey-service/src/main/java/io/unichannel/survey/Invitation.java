package io.unichannel.survey;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/** A survey invitation as stored: whose, for which ticket, on which channel, by which questionnaire, and where it stands. */
public record Invitation(UUID id, String token, String ticketId, String customerId, String personId, String channel,
        String serviceType, String region, String agentId, String questionnaireId, int questionnaireVersion, String purpose,
        UUID originalInvitation, String status, OffsetDateTime sentAt, OffsetDateTime expiresAt, boolean reminded) {

    public static final String COLUMNS = "id, token, ticket_id, customer_id, person_id, channel, service_type, region, agent_id, "
            + "questionnaire_id, questionnaire_version, purpose, original_invitation, status, sent_at, expires_at, reminded";

    public static Invitation of(Row row) {
        return new Invitation(row.getUUID("id"), row.getString("token"), row.getString("ticket_id"),
                row.getString("customer_id"), row.getString("person_id"), row.getString("channel"),
                row.getString("service_type"), row.getString("region"), row.getString("agent_id"),
                row.getString("questionnaire_id"), row.getInteger("questionnaire_version"), row.getString("purpose"),
                row.getUUID("original_invitation"), row.getString("status"), row.getOffsetDateTime("sent_at"),
                row.getOffsetDateTime("expires_at"), row.getBoolean("reminded"));
    }

    public boolean verification() {
        return "verification".equals(purpose);
    }
}
