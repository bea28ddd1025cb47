package io.unichannel.survey.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.survey.SurveyDefinitions;
import io.unichannel.survey.service.SurveyCatalog;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
 * For staff: a ticket's surveys (sent, answered, suppressed and why, the answer and its measures,
 * the follow-up and whether it was verified fixed) and the definitions in force.
 */
@Path("/api/v1")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Surveys")
public class SurveyResource {

    private final PgPool pool;
    private final SurveyCatalog catalog;
    private final SecurityIdentity identity;

    public SurveyResource(PgPool pool, SurveyCatalog catalog, SecurityIdentity identity) {
        this.pool = pool;
        this.catalog = catalog;
        this.identity = identity;
    }

    @GET
    @Path("/surveys")
    @Operation(summary = "The surveys of a ticket (its satisfaction survey, or the verification re-survey of a follow-up ticket)")
    public Uni<List<Map<String, Object>>> ofTicket(@QueryParam("ticketId") String ticketId) {
        if (ticketId == null || !ticketId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Not a ticket id", 400, "ticketId is required (letters, digits, -)");
        }
        boolean everything = identity.hasRole(Roles.OPS);
        JsonWebToken token = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
        String region = token == null ? null : token.getClaim("region");
        String staff = token == null ? identity.getPrincipal().getName() : token.getClaim("preferred_username");
        return pool.preparedQuery("""
                SELECT i.id, i.ticket_id, i.channel, i.service_type, i.purpose, i.status, i.suppressed_reason, i.questionnaire_id,
                       i.questionnaire_version, i.sent_at, i.expires_at, i.reminded, i.original_invitation, i.follow_up_ticket,
                       r.answered_on, r.csat, r.nps, r.fcr, r.solved, r.follow_up_reason, r.fixed, r.verified_at, r.answered_at
                FROM survey_invitation i LEFT JOIN survey_response r ON r.invitation_id = i.id
                WHERE i.ticket_id = $1 AND ($2 OR i.region = $3 OR i.agent_id = $4) ORDER BY i.created_at""")
                .execute(Tuple.of(ticketId, everything, region, staff))
                .map(rows -> {
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (Row row : rows) {
                        Map<String, Object> survey = new LinkedHashMap<>();
                        for (int c = 0; c < row.size(); c++) {
                            Object value = row.getValue(c);
                            if (value != null) {
                                survey.put(camel(row.getColumnName(c)), value instanceof java.util.UUID u ? u.toString() : value);
                            }
                        }
                        list.add(survey);
                    }
                    return list;
                });
    }

    @GET
    @Path("/survey-definitions")
    @Operation(summary = "The questionnaires and contact rules in force, with their version")
    public SurveyDefinitions definitions() {
        return catalog.definitions();
    }

    private static String camel(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
