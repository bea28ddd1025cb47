package io.unichannel.common.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the attributes every consumer of ticket-events needs from a TMF621 v5 TroubleTicket: the
 * party in a role ({@code relatedParty[].partyOrPartyRole.id}), a characteristic
 * ({@code troubleTicketCharacteristic[]}) such as the region, and a status change's date. Events
 * written before the platform spoke v5 (a flat {@code relatedParty[].id}, a top-level
 * {@code region}, {@code characteristic}, {@code changeDate}) still on the topic read the same, so a
 * consumer replaying old records is not broken by the change of shape.
 */
public final class TroubleTicketJson {

    private TroubleTicketJson() {
    }

    /** The id of the ticket's party in this role (customer, assignee, reporter), or null. */
    public static String partyId(JsonNode ticket, String role) {
        for (JsonNode party : ticket.path("relatedParty")) {
            if (role.equals(party.path("role").asText())) {
                JsonNode ref = party.path("partyOrPartyRole");
                JsonNode id = ref.isObject() ? ref.path("id") : party.path("id");
                return id.isTextual() ? id.asText() : null;
            }
        }
        return null;
    }

    /** The value of the named characteristic, or a missing node. */
    public static JsonNode characteristic(JsonNode ticket, String name) {
        JsonNode list = ticket.has("troubleTicketCharacteristic") ? ticket.path("troubleTicketCharacteristic")
                : ticket.path("characteristic");
        for (JsonNode c : list) {
            if (name.equals(c.path("name").asText())) {
                return c.path("value");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The ticket's region (characteristic {@code region}), or null. */
    public static String region(JsonNode ticket) {
        JsonNode value = characteristic(ticket, "region");
        if (!value.isTextual()) {
            value = ticket.path("region");
        }
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /**
     * Whether the ticket is a follow-up a survey answer opened (relationship {@code isFollowUpOf}, or
     * the category the platform gives follow-ups): the same customer's earlier matter, not a new one.
     */
    public static boolean isFollowUp(JsonNode ticket) {
        for (JsonNode relationship : ticket.path("troubleTicketRelationship")) {
            if ("isFollowUpOf".equals(relationship.path("relationshipType").asText())) {
                return true;
            }
        }
        return "surveyFollowUp".equals(characteristic(ticket, "category").asText());
    }

    /** When a status change (an item of statusChangeHistory) happened: {@code statusChangeDate}. */
    public static JsonNode changeDate(JsonNode statusChange) {
        return statusChange.has("statusChangeDate") ? statusChange.path("statusChangeDate") : statusChange.path("changeDate");
    }
}
