package io.unichannel.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.EventTypes;

/**
 * Where each pain signal belongs (pain-point-map.json, data an analyst edits): a complaint by its
 * category, an SLA breach by the clock that broke, a low survey answer by its question, each to a
 * process node, and each node to the department that owns it. Pure logic.
 */
public record PainPointMap(String version, String description, Map<String, Node> nodes, Map<String, String> complaints,
        Map<String, Map<String, String>> breaches, Map<String, Question> surveyQuestions) {

    /** A process node and the department answerable for it. */
    public record Node(String department, String label) {
    }

    /** A survey question that can point at a node: an answer at or below {@code lowAtMost} is a low one. */
    public record Question(int lowAtMost, Map<String, String> node) {
    }

    /** What one signal says: its kind, where it belongs, the month it falls in. */
    public record Signal(String kind, String node, String department, String period, String ticketId, Instant at) {
    }

    public static final String COMPLAINT = "complaint";
    public static final String BREACH = "breach";
    public static final String LOW_SCORE = "lowScore";
    /** A survey answer that touched a node at all: the denominator of its low-score rate. */
    public static final String SURVEYED = "surveyed";

    public static PainPointMap load(String file) {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            PainPointMap map;
            if (file == null || file.isBlank()) {
                try (InputStream in = PainPointMap.class.getResourceAsStream("/pain-point-map.json")) {
                    map = json.readValue(in, PainPointMap.class);
                }
            } else {
                map = json.readValue(Files.readString(Path.of(file)), PainPointMap.class);
            }
            map.check();
            return map;
        } catch (IOException e) {
            throw new IllegalStateException("Pain-point map " + (file == null || file.isBlank() ? "pain-point-map.json" : file)
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every node named anywhere exists and every mapping has a fallback, so no signal is ever lost. */
    void check() {
        List<String> problems = new ArrayList<>();
        if (version == null || version.isBlank()) {
            problems.add("a version is required");
        }
        if (nodes == null || nodes.isEmpty() || complaints == null || breaches == null || surveyQuestions == null) {
            throw new IllegalStateException("Pain-point map: nodes, complaints, breaches and surveyQuestions are required");
        }
        nodes.forEach((id, node) -> {
            if (node == null || node.department() == null || !node.department().matches("[a-z0-9-]{2,64}")) {
                problems.add("node " + id + " needs a department (lower-case letters, digits, hyphens)");
            }
        });
        checkTargets("complaints", complaints, problems);
        breaches.forEach((metric, byType) -> checkTargets("breaches." + metric, byType, problems));
        surveyQuestions.forEach((question, q) -> checkTargets("surveyQuestions." + question, q.node(), problems));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Pain-point map " + version + ": " + String.join("; ", problems));
        }
    }

    private void checkTargets(String where, Map<String, String> targets, List<String> problems) {
        if (targets == null || !targets.containsKey("*")) {
            problems.add(where + " needs a '*' fallback");
            return;
        }
        targets.forEach((key, node) -> {
            if (!nodes.containsKey(node)) {
                problems.add(where + "." + key + " names unknown node " + node);
            }
        });
    }

    public String department(String node) {
        Node n = nodes.get(node);
        return n == null ? null : n.department();
    }

    /**
     * Whether an event can hold signals at all, judged without reading it: a breach, a survey answer,
     * or the opening of a ticket whose text names a complaint. Most ticket events are none of
     * these, and reading each would double the cost of the topology's own reading.
     */
    public static boolean mayHaveSignals(String eventType, String data) {
        return EventTypes.TROUBLE_TICKET_SLA_BREACH.equals(eventType) || EventTypes.SURVEY_RESPONSE_RECEIVED.equals(eventType)
                || EventTypes.TROUBLE_TICKET_CREATE.equals(eventType) && data != null && data.contains("complaint")
                || data != null && data.contains("\"breach\"");
    }

    /**
     * A ticket event's signals: the opening of a complaint, an SLA breach. Other events have none.
     *
     * @throws IllegalArgumentException for a complaint or breach that cannot be read
     */
    public List<Signal> ticketSignals(String eventType, JsonNode event, ZoneId zone) {
        JsonNode ticket = event.path("event").path("troubleTicket");
        boolean breach = EventTypes.TROUBLE_TICKET_SLA_BREACH.equals(eventType) || "breach".equals(event.path("slaStage").path("action").asText());
        // A survey's follow-up takes up an earlier matter; it is not a new complaint.
        boolean complaint = EventTypes.TROUBLE_TICKET_CREATE.equals(eventType) && "complaint".equals(ticket.path("ticketType").asText())
                && !io.unichannel.common.events.TroubleTicketJson.isFollowUp(ticket);
        if (!breach && !complaint) {
            return List.of();
        }
        String ticketId = TicketLedger.text(ticket, "id");
        if (ticketId == null || ticketId.length() > 64) {
            throw new IllegalArgumentException("a ticket event needs event.troubleTicket.id (at most 64 characters)");
        }
        String type = ticket.path("ticketType").asText("");
        if (complaint) {
            long at = TicketLedger.instant(ticket, "creationDate", TicketLedger.instant(event, "eventTime", -1));
            JsonNode categoryValue = io.unichannel.common.events.TroubleTicketJson.characteristic(ticket, "category");
            String category = categoryValue.isTextual() ? categoryValue.asText() : null;
            return List.of(signal(COMPLAINT, pick(complaints, category), ticketId, at, zone));
        }
        JsonNode clock = event.path("slaStage").path("clock");
        String metric = clock.path("metric").asText("");
        Map<String, String> byType = breaches.getOrDefault(metric, breaches.get("resolution"));
        long at = TicketLedger.instant(clock, "breachedAt", TicketLedger.instant(event, "eventTime", -1));
        return List.of(signal(BREACH, pick(byType == null ? Map.of("*", "feedback") : byType, type), ticketId, at, zone));
    }

    /**
     * A survey answer's signals: for each node its questions touch, one "surveyed" and, when any of
     * them was answered low, one "lowScore".
     *
     * @throws IllegalArgumentException for an answer that cannot be read
     */
    public List<Signal> surveySignals(String eventType, JsonNode answer, ZoneId zone) {
        if (!EventTypes.SURVEY_RESPONSE_RECEIVED.equals(eventType)) {
            return List.of();
        }
        String ticketId = TicketLedger.text(answer, "ticketId");
        long at = TicketLedger.instant(answer, "answeredAt", -1);
        if (ticketId == null || ticketId.length() > 64 || at < 0 || !answer.path("answers").isArray()) {
            throw new IllegalArgumentException("a survey response needs ticketId, answeredAt and answers");
        }
        String serviceType = answer.path("serviceType").asText("");
        Set<String> touched = new LinkedHashSet<>();
        Set<String> low = new LinkedHashSet<>();
        for (JsonNode given : answer.path("answers")) {
            Question question = surveyQuestions.get(given.path("questionId").asText());
            // Only a score on a scale says good or bad: a choice's number is the option's position.
            if (question == null || !given.path("score").canConvertToInt() || given.has("choice")) {
                continue;
            }
            String node = pick(question.node(), serviceType);
            touched.add(node);
            if (given.path("score").asInt() <= question.lowAtMost()) {
                low.add(node);
            }
        }
        List<Signal> out = new ArrayList<>();
        for (String node : touched) {
            out.add(signal(SURVEYED, node, ticketId, at, zone));
            if (low.contains(node)) {
                out.add(signal(LOW_SCORE, node, ticketId, at, zone));
            }
        }
        return out;
    }

    private Signal signal(String kind, String node, String ticketId, long at, ZoneId zone) {
        if (at < 0) {
            throw new IllegalArgumentException("a " + kind + " signal needs the time it happened");
        }
        Instant when = Instant.ofEpochMilli(at);
        return new Signal(kind, node, department(node), YearMonth.from(when.atZone(zone)).toString(), ticketId, when);
    }

    private static String pick(Map<String, String> targets, String key) {
        return key != null && targets.containsKey(key) ? targets.get(key) : targets.get("*");
    }

    /** The nodes with their departments and labels, for the API and the page. */
    public Map<String, Node> nodesInOrder() {
        return new LinkedHashMap<>(nodes);
    }
}
