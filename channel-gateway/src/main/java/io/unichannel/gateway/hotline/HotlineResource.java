package io.unichannel.gateway.hotline;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.validation.Text;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.notify.SurveyReplies;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The contact centre's CTI and IVR (docs/channels/cti.md): call events, and the text the IVR reads
 * to a caller about their requests. Public on the network, authenticated by the CTI's HMAC
 * signature (X-Cti-Timestamp, X-Cti-Signature, as the SMS platform signs).
 */
@Path("/channels/hotline")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Hotline (CTI and IVR)", description = "Call events and the IVR's status text (signed by the CTI)")
public class HotlineResource {

    private static final String HEADERS = "X-Cti";
    private static final Set<String> EVENTS = Set.of("started", "ivr", "connected", "abandoned", "ended");
    private static final java.util.regex.Pattern MSISDN = java.util.regex.Pattern.compile("^(?:\\+?86)?(1\\d{10})$");
    private static final java.util.regex.Pattern CALL_ID = java.util.regex.Pattern.compile("[0-9A-Za-z._:-]{1,64}");

    private final ObjectMapper json;
    private final CallEvents calls;
    private final SurveyReplies surveys;
    private final String secret;

    public HotlineResource(ObjectMapper json, CallEvents calls, SurveyReplies surveys,
            @ConfigProperty(name = "gateway.cti.webhook-secret") String secret) {
        this.json = json;
        this.calls = calls;
        this.surveys = surveys;
        this.secret = secret;
    }

    @POST
    @Path("/events")
    @Operation(summary = "A call event: started (with the caller id), ivr (menu path), connected (agent), abandoned, ended")
    public Uni<Map<String, Object>> event(String body, @HeaderParam("X-Cti-Timestamp") String timestamp,
            @HeaderParam("X-Cti-Signature") String signature) {
        JsonNode e = verified(body, timestamp, signature);
        String callId = e.path("callId").asText("");
        String event = e.path("event").asText("");
        if (!CALL_ID.matcher(callId).matches() || !EVENTS.contains(event)) {
            throw invalid("callId (1-64 letters, digits, . _ : -) and event (" + String.join(", ", EVENTS) + ") are required");
        }
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(e.path("at").asText(""));
        } catch (DateTimeParseException ex) {
            throw invalid("at must be an RFC 3339 date-time");
        }
        String callerId = null;
        if ("started".equals(event)) {
            var match = MSISDN.matcher(e.path("callerId").asText("").strip());
            callerId = match.matches() ? match.group(1) : "";
            if (callerId.isEmpty() && !e.path("callerId").asText("").isEmpty()
                    && !e.path("callerId").asText("").matches("[0-9+]{3,20}|anonymous")) {
                throw invalid("callerId is not a phone number");
            }
        }
        String ivrPath = e.path("ivrPath").asText(null);
        String agent = e.path("agent").asText(null);
        if (ivrPath != null && !ivrPath.matches("[0-9*#-]{1,64}") || agent != null && !Text.isValidRequired(agent, 64, false)) {
            throw invalid("ivrPath must be keys (0-9 * # -) and agent at most 64 characters of clean text");
        }
        return calls.apply(new CallEvents.CallEvent(callId, event, at, callerId, ivrPath, agent))
                .onFailure(IllegalArgumentException.class).transform(ex -> invalid(ex.getMessage()))
                // The database or the broker is away: the CTI keeps the event and sends it again.
                .onFailure(ex -> !(ex instanceof ProblemException)).transform(ex -> new ProblemException(
                        ProblemTypes.SERVICE_UNAVAILABLE, "Call event not recorded", 503, "Send the event again shortly."))
                .replaceWith(Map.of("accepted", true));
    }

    @POST
    @Path("/calls/{callId}/status-text")
    @Operation(summary = "What the IVR reads to the caller: their latest requests' progress, as short speakable text")
    public Uni<Map<String, String>> statusText(@PathParam("callId") String callId, String body,
            @HeaderParam("X-Cti-Timestamp") String timestamp, @HeaderParam("X-Cti-Signature") String signature) {
        authenticate(body == null ? "" : body, timestamp, signature);
        if (!CALL_ID.matcher(callId).matches()) {
            throw invalid("not a call id");
        }
        return calls.statusText(callId).map(text -> Map.of("text", text.orElseThrow(() -> new ProblemException(
                ProblemTypes.NOT_FOUND, "Call not found", 404, "No call " + callId + " has started."))));
    }

    @POST
    @Path("/survey-calls/{surveyId}/keys")
    @Operation(summary = "The keys a customer pressed in an IVR survey call, one per prompt: {\"keys\": {\"<questionId>\": key}}")
    public Uni<Map<String, Object>> surveyKeys(@PathParam("surveyId") String surveyId, String body,
            @HeaderParam("X-Cti-Timestamp") String timestamp, @HeaderParam("X-Cti-Signature") String signature) {
        JsonNode e = verified(body, timestamp, signature);
        if (!surveyId.matches("[0-9a-f-]{36}")) {
            throw new ProblemException(ProblemTypes.NOT_FOUND, "No such survey call", 404, "Not a survey call id.");
        }
        JsonNode keys = e.path("keys");
        if (!keys.isObject() || keys.isEmpty() || keys.size() > 20) {
            throw invalid("keys is an object of 1-20 question ids to the key pressed (0-10)");
        }
        Map<String, Integer> pressed = new java.util.LinkedHashMap<>();
        var fields = keys.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().isInt() || field.getValue().intValue() < 0 || field.getValue().intValue() > 10
                    || !field.getKey().matches("[a-z0-9-]{1,64}")) {
                throw invalid("each key is a whole number from 0 to 10 for a question id");
            }
            pressed.put(field.getKey(), field.getValue().intValue());
        }
        return surveys.keys(surveyId, pressed)
                .onFailure(SurveyReplies.Unanswerable.class).transform(ex -> invalid(ex.getMessage()))
                .onFailure(ex -> !(ex instanceof ProblemException)).transform(ex -> new ProblemException(
                        ProblemTypes.SERVICE_UNAVAILABLE, "Keys not recorded", 503, "Send the keys again shortly."))
                .map(found -> {
                    if (!found) {
                        throw new ProblemException(ProblemTypes.NOT_FOUND, "No such survey call", 404,
                                "No open survey call " + surveyId + ".");
                    }
                    return Map.<String, Object>of("accepted", true);
                });
    }

    private JsonNode verified(String body, String timestamp, String signature) {
        authenticate(body == null ? "" : body, timestamp, signature);
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw invalid("the body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException ex) {
            throw invalid("the body is not JSON");
        }
    }

    private void authenticate(String body, String timestamp, String signature) {
        String problem = WebhookSignature.problem(HEADERS, secret, timestamp, signature, body, Duration.ofMinutes(5), Instant.now());
        if (problem != null) {
            throw new ProblemException(new Problem(ProblemTypes.UNAUTHENTICATED, "Not from the CTI", 401, problem));
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not a CTI call", 400, detail);
    }
}
