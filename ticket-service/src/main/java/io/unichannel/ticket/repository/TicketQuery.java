package io.unichannel.ticket.repository;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.validation.Text;

/**
 * A ticket list query in TMF630 terms: attribute filters ({@code status=acknowledged,inProgress}
 * for any of several values, {@code creationDate.gte=2026-11-01T00:00:00Z} for a range) and a sort
 * ({@code sort=-creationDate}). Only the attributes below can be filtered; anything else is a 400,
 * so a partner's misspelt filter never silently returns every ticket.
 */
public record TicketQuery(List<Condition> conditions, String sortField, boolean descending) {

    /** One condition on a ticket attribute: equal to any of the values, or compared with one. */
    public record Condition(String field, String operator, List<Object> values) {
    }

    /** Query parameters that are not filters. */
    public static final Set<String> CONTROL = Set.of("offset", "limit", "fields", "sort");

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("id", "id"), Map.entry("status", "status"), Map.entry("ticketType", "ticketType"),
            Map.entry("severity", "severity"), Map.entry("priority", "priority"), Map.entry("channel", "channel"),
            Map.entry("channel.id", "channel"), Map.entry("channel.name", "channel"),
            Map.entry("relatedParty.id", "customerId"), Map.entry("relatedParty.partyOrPartyRole.id", "customerId"),
            Map.entry("customerId", "customerId"), Map.entry("assignee", "assignee"), Map.entry("reporter", "reporter"),
            Map.entry("region", "region"), Map.entry("troubleTicketSpecification.id", "ticketType"));
    private static final Set<String> DATES = Set.of("creationDate", "lastUpdate", "expectedResolutionDate",
            "resolutionDate", "statusChangeDate");
    private static final Map<String, String> OPERATORS = Map.of("eq", "=", "gt", ">", "gte", ">=", "lt", "<", "lte", "<=");
    private static final Set<String> SORTABLE = Set.of("creationDate", "lastUpdate", "id");

    public static final TicketQuery NONE = new TicketQuery(List.of(), "creationDate", true);

    /** The query these parameters ask for. */
    public static TicketQuery parse(Map<String, List<String>> parameters) {
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            String name = entry.getKey();
            if (CONTROL.contains(name)) {
                continue;
            }
            if (name.equals("filter")) {
                throw invalid("JSONPath filters are not supported; filter with attributes (status=resolved, "
                        + "creationDate.gte=...).");
            }
            if (name.equals("before") || name.equals("after")) {
                throw invalid("Cursor paging is not supported; page with offset and limit (X-Total-Count tells the total).");
            }
            for (String raw : entry.getValue()) {
                conditions.add(condition(name, raw));
            }
        }
        if (conditions.size() > 20) {
            throw invalid("At most 20 filters can be combined.");
        }
        String sort = first(parameters.get("sort"));
        if (sort == null || sort.isBlank()) {
            return new TicketQuery(conditions, "creationDate", true);
        }
        boolean descending = sort.startsWith("-");
        String field = descending || sort.startsWith("+") ? sort.substring(1) : sort;
        if (!SORTABLE.contains(field)) {
            throw invalid("Tickets can be sorted by " + String.join(", ", SORTABLE) + " (prefix - for descending), not '"
                    + shorten(sort, 40) + "'.");
        }
        return new TicketQuery(conditions, field, descending);
    }

    private static Condition condition(String name, String raw) {
        String attribute = name;
        String operator = "eq";
        int dot = name.lastIndexOf('.');
        if (dot > 0 && OPERATORS.containsKey(name.substring(dot + 1))) {
            attribute = name.substring(0, dot);
            operator = name.substring(dot + 1);
        }
        if (raw == null || raw.isEmpty() || raw.length() > 400) {
            throw invalid("Filter " + shorten(name, 60) + " needs a value of at most 400 characters.");
        }
        if (DATES.contains(attribute)) {
            try {
                String field = "statusChangeDate".equals(attribute) ? "lastUpdate" : attribute;
                return new Condition(field, OPERATORS.get(operator), List.of(OffsetDateTime.parse(raw)));
            } catch (DateTimeParseException e) {
                throw invalid(attribute + " takes an RFC 3339 date-time such as 2026-11-01T00:00:00Z.");
            }
        }
        String field = TEXT.get(attribute);
        if (field == null) {
            throw invalid("Tickets cannot be filtered on '" + shorten(name, 60) + "'. Filters: "
                    + String.join(", ", new java.util.TreeSet<>(TEXT.keySet())) + ", and the dates "
                    + String.join(", ", DATES) + " (with .gt, .gte, .lt, .lte).");
        }
        if (!"eq".equals(operator)) {
            throw invalid(attribute + " can only be compared for equality.");
        }
        List<Object> values = new ArrayList<>();
        for (String value : raw.split(",", -1)) {
            if (!Text.isValidRequired(value, 64, false)) {
                throw invalid("Filter " + attribute + " takes up to 64 characters per value, values separated by commas.");
            }
            values.add(value);
        }
        if (values.size() > 20) {
            throw invalid("A filter takes at most 20 values.");
        }
        return new Condition(field, "in", values);
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid filter", 400, detail);
    }
}
