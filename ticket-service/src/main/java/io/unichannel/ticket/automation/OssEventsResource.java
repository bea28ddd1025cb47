package io.unichannel.ticket.automation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.common.validation.Text;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where the operator's OSS reports area outages opening and clearing (docs/integrations/bss-oss.md):
 * no user signs these calls, the OSS does, with the HMAC signature both sides' secret makes (a call
 * that is not signed, or signed more than five minutes ago, is refused). Each report starts the
 * proactive notices to the area's customers ({@link OutageNotices}); a repeated report changes nothing.
 */
@Path("/api/v1/oss/events")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OSS", description = "Outage reports from the operator's OSS (signed by the OSS)")
public class OssEventsResource {

    private static final String AREA = "[A-Za-z0-9._:-]{1,64}";

    private final OutageNotices notices;
    private final ObjectMapper json;
    private final String secret;
    private final Duration maxSkew;

    public OssEventsResource(OutageNotices notices, ObjectMapper json,
            @ConfigProperty(name = "ticket.oss.events-secret") String secret,
            @ConfigProperty(name = "ticket.oss.events-max-skew", defaultValue = "PT5M") Duration maxSkew) {
        this.notices = notices;
        this.json = json;
        this.secret = secret;
        this.maxSkew = maxSkew;
    }

    @POST
    @Operation(summary = "An area outage opened (OutageOpened) or cleared (OutageCleared); its customers are told. "
            + "202 when taken (also for a report already taken)")
    public Uni<Response> report(String body, @HeaderParam("X-Oss-Timestamp") String timestamp,
            @HeaderParam("X-Oss-Signature") String signature) {
        String problem = WebhookSignature.problem("X-Oss", secret, timestamp, signature, body == null ? "" : body, maxSkew,
                Instant.now());
        if (problem != null) {
            throw new ProblemException(new Problem(ProblemTypes.UNAUTHENTICATED, "Not from the OSS", 401, problem));
        }
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (Exception e) {
            throw invalid("the body is not JSON");
        }
        if (event == null || !event.isObject()) {
            throw invalid("the body must be an outage event object");
        }
        String type = event.path("eventType").asText("");
        String phase = switch (type) {
            case "OutageOpened" -> OutageNotices.OPENED;
            case "OutageCleared" -> OutageNotices.CLEARED;
            default -> throw invalid("eventType must be OutageOpened or OutageCleared");
        };
        JsonNode outage = event.path("outage");
        String id = outage.path("id").asText("");
        String area = outage.path("area").asText("");
        String cause = outage.path("cause").isTextual() ? outage.get("cause").asText() : null;
        String restore = outage.path("expectedRestore").isTextual() ? outage.get("expectedRestore").asText() : null;
        if (!id.matches(AREA) || !area.matches(AREA)) {
            throw invalid("outage.id and outage.area must be 1 to 64 letters, digits or . _ : -");
        }
        if (cause != null && !Text.isValidRequired(cause, 500, true) || restore != null && restore.length() > 40) {
            throw invalid("outage.cause must be printable text of at most 500 characters, expectedRestore a date and time");
        }
        return notices.reported(new OutageNotices.Reported(id, phase, area, cause, restore))
                .map(taken -> Response.accepted(Map.of("outageId", id, "phase", phase, "new", taken)).build());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not an outage report", 400, detail);
    }
}
