package io.unichannel.survey.rest;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.common.validation.Text;
import io.unichannel.survey.Measures;
import io.unichannel.survey.service.MeasureService;
import io.unichannel.survey.service.SurveyCatalog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * CSAT, NPS, FCR and dimension scores with the staff band, grouped by agent, service type,
 * channel, region, day or month. Ops see everything; a supervisor their region; an agent their own answers.
 */
@Path("/api/v1/survey-measures")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Survey measures")
public class MeasureResource {

    private final MeasureService measures;
    private final SurveyCatalog catalog;
    private final SecurityIdentity identity;

    public MeasureResource(MeasureService measures, SurveyCatalog catalog, SecurityIdentity identity) {
        this.measures = measures;
        this.catalog = catalog;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Survey measures of a period (from, to: dates in the operator's zone; to exclusive), grouped as asked")
    public Uni<Map<String, Object>> measures(@QueryParam("groupBy") String groupBy, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("region") String region) {
        String group = groupBy == null ? "all" : groupBy;
        if (!MeasureService.GROUPS.containsKey(group)) {
            throw invalid("groupBy is one of " + MeasureService.GROUPS.keySet());
        }
        ZoneId zone = catalog.definitions().contactRules().quietHours() == null ? ZoneId.of("Asia/Shanghai")
                : catalog.definitions().contactRules().quietHours().zoneId();
        LocalDate start;
        LocalDate end;
        try {
            end = to == null ? LocalDate.now(zone).plusDays(1) : LocalDate.parse(to);
            start = from == null ? end.minusDays(30) : LocalDate.parse(from);
        } catch (DateTimeParseException e) {
            throw invalid("from and to are dates (YYYY-MM-DD)");
        }
        if (!start.isBefore(end) || start.plusYears(2).isBefore(end)) {
            throw invalid("from comes before to, at most two years apart");
        }
        if (region != null && !Text.isValidRequired(region, 64, false)) {
            throw invalid("region is at most 64 characters of clean text");
        }
        String scopeRegion = region;
        String scopeAgent = null;
        if (!identity.hasRole(Roles.OPS)) {
            JsonWebToken token = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
            String own = token == null ? null : token.getClaim("region");
            if (identity.hasRole(Roles.SUPERVISOR) && own != null) {
                if (region != null && !region.equals(own)) {
                    throw new ProblemException(ProblemTypes.FORBIDDEN, "Outside your scope", 403,
                            "Supervisors see their own region's measures.");
                }
                scopeRegion = own;
            } else {
                scopeAgent = token == null || token.getClaim("preferred_username") == null ? identity.getPrincipal().getName()
                        : token.getClaim("preferred_username");
            }
        }
        OffsetDateTime fromTime = start.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime toTime = end.atStartOfDay(zone).toOffsetDateTime();
        return measures.measures(group, fromTime, toTime, scopeRegion, scopeAgent, zone.getId())
                .map((List<Measures> groups) -> Map.of("groupBy", group, "from", start.toString(), "to", end.toString(),
                        "groups", groups));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not a valid measures query", 400, detail);
    }
}
