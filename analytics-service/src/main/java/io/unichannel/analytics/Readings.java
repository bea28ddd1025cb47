package io.unichannel.analytics;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.common.events.EventTypes;

/**
 * KPI contributions of events that need no memory beyond "seen already": survey answers (CSAT,
 * NPS, first-contact resolution) and hotline calls (connect rate). Pure logic.
 */
public final class Readings {

    private Readings() {
    }

    /** A survey event's contributions; only SurveyResponseReceived counts. */
    public static List<Contribution> survey(String eventType, JsonNode answer) {
        if (!EventTypes.SURVEY_RESPONSE_RECEIVED.equals(eventType)) {
            return List.of();
        }
        String invitation = TicketLedger.text(answer, "invitationId");
        long at = TicketLedger.instant(answer, "answeredAt", -1);
        if (invitation == null || at < 0) {
            throw new IllegalArgumentException("a survey response needs invitationId and answeredAt");
        }
        Dimensions dims = new Dimensions(TicketLedger.text(answer, "channel"), TicketLedger.text(answer, "serviceType"),
                TicketLedger.text(answer, "region"), TicketLedger.text(answer, "agentId"));
        List<Contribution> out = new ArrayList<>();
        JsonNode csat = answer.path("csat");
        if (csat.isInt()) {
            requireRange(csat.asInt(), 1, 5, "csat");
            out.add(new Contribution(Kpi.CSAT.id(), dims, at, Sums.ratio(csat.asInt() >= 4)));
        }
        JsonNode nps = answer.path("nps");
        if (nps.isInt()) {
            int score = nps.asInt();
            requireRange(score, 0, 10, "nps");
            out.add(new Contribution(Kpi.NPS.id(), dims, at, Sums.observation(score >= 9 ? 1 : score <= 6 ? -1 : 0)));
        }
        JsonNode fcr = answer.path("firstContactResolution");
        if (fcr.isBoolean()) {
            out.add(new Contribution(Kpi.FIRST_CONTACT_RESOLUTION.id(), dims, at, Sums.ratio(fcr.asBoolean())));
        }
        return out;
    }

    /** A hotline call's contribution at its end: connected, or abandoned while waiting; IVR-only calls do not count. */
    public static List<Contribution> call(JsonNode event) {
        JsonNode call = event.path("event").path("partyInteraction");
        String id = TicketLedger.text(call, "id");
        String state = TicketLedger.text(call, "state");
        if (id == null || state == null) {
            throw new IllegalArgumentException("a call event needs partyInteraction.id and state");
        }
        if (state.equals("connected")) {
            return List.of();
        }
        long at = TicketLedger.instant(call, "endedAt", TicketLedger.instant(event, "eventTime", -1));
        if (at < 0) {
            throw new IllegalArgumentException("a call's end needs endedAt or eventTime");
        }
        String outcome = TicketLedger.text(call, "outcome");
        boolean connected = "connected".equals(outcome) || !call.path("connectedAt").isMissingNode() && !call.path("connectedAt").isNull();
        if (!connected && !"abandoned".equals(outcome) && !state.equals("abandoned")) {
            return List.of();
        }
        Dimensions dims = new Dimensions(TicketLedger.text(call, "channel") == null ? "hotline" : TicketLedger.text(call, "channel"),
                null, null, TicketLedger.text(call, "agent"));
        return List.of(new Contribution(Kpi.CONNECT_RATE.id(), dims, at, Sums.ratio(connected)));
    }

    private static void requireRange(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " is outside " + min + "-" + max);
        }
    }
}
