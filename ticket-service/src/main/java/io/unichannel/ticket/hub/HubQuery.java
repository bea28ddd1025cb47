package io.unichannel.ticket.hub;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.common.events.TroubleTicketJson;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;

/**
 * A hub subscription's query in TMF630 filter syntax, over what partners filter events on:
 * {@code eventType=TroubleTicketStatusChangeEvent,TroubleTicketResolvedEvent&event.troubleTicket.status=resolved}.
 * Conditions on different attributes all hold; the comma-separated values of one attribute are
 * alternatives. An empty query matches every event the partner is entitled to.
 */
public record HubQuery(Map<String, Set<String>> conditions) {

    /** Attribute names a query may use, each with its short form. */
    private static final Map<String, String> ATTRIBUTES = Map.of(
            "eventType", "eventType",
            "event.troubleTicket.ticketType", "ticketType", "ticketType", "ticketType",
            "event.troubleTicket.status", "status", "status", "status",
            "event.troubleTicket.severity", "severity", "severity", "severity",
            "region", "region", "event.troubleTicket.region", "region");

    public static HubQuery parse(String query) {
        Map<String, Set<String>> conditions = new LinkedHashMap<>();
        if (query == null || query.isBlank()) {
            return new HubQuery(conditions);
        }
        if (query.length() > 2000) {
            throw invalid("query is at most 2000 characters.");
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw invalid("query is attribute=value pairs joined by &, such as eventType=TroubleTicketResolvedEvent.");
            }
            String attribute = ATTRIBUTES.get(part.substring(0, eq).strip());
            if (attribute == null) {
                throw invalid("A subscription can filter on eventType, event.troubleTicket.ticketType, "
                        + "event.troubleTicket.status, event.troubleTicket.severity and region.");
            }
            if (conditions.containsKey(attribute)) {
                throw invalid("Each attribute appears once in a query; list alternatives separated by commas.");
            }
            Set<String> values = new java.util.LinkedHashSet<>();
            for (String value : part.substring(eq + 1).split(",")) {
                String v = value.strip();
                if (v.isEmpty() || v.length() > 64 || !v.matches("[A-Za-z0-9_.:-]+")) {
                    throw invalid("query values are 1 to 64 letters, digits, '.', ':', '_' or '-'.");
                }
                values.add(v);
            }
            conditions.put(attribute, Set.copyOf(values));
        }
        return new HubQuery(conditions);
    }

    /** Whether a ticket event (its TMF621 body) matches. */
    public boolean matches(JsonNode event) {
        JsonNode ticket = event.path("event").path("troubleTicket");
        for (Map.Entry<String, Set<String>> condition : conditions.entrySet()) {
            String actual = switch (condition.getKey()) {
                case "eventType" -> event.path("eventType").asText(null);
                case "region" -> TroubleTicketJson.region(ticket);
                default -> ticket.path(condition.getKey()).asText(null);
            };
            if (actual == null || !condition.getValue().contains(actual)) {
                return false;
            }
        }
        return true;
    }

    public List<String> attributes() {
        return List.copyOf(conditions.keySet());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid query", 400, detail);
    }
}
