package io.unichannel.analytics.rest;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.analytics.service.PainPoints;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.common.validation.Text;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The pain-point list (服务痛点清单) and each pain point's cycle. Managers (ops) and supervisors
 * see every department and open pain points; staff of a department (token claim department) see
 * their own department's and answer them with a plan and a pilot; ops may answer for any.
 */
@Path("/api/v1/pain-points")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pain points")
public class PainPointResource {

    public record Opening(String period, String node, String department) {
    }

    public record Answer(String text) {
    }

    private final PainPoints painPoints;
    private final SecurityIdentity identity;

    public PainPointResource(PainPoints painPoints, SecurityIdentity identity) {
        this.painPoints = painPoints;
        this.identity = identity;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "The list for a month (default: this month), heaviest first: per process node and department the "
            + "complaints, SLA breaches, low survey answers and the low-score rate, with the pain point if one is open; "
            + "format=csv for a spreadsheet")
    public Uni<Response> list(@QueryParam("period") String period, @QueryParam("department") String department,
            @QueryParam("format") String format) {
        YearMonth month = period(period);
        Optional<String> scope = scope(department);
        boolean csv = "csv".equals(format);
        if (format != null && !csv && !"json".equals(format)) {
            throw invalid("format is json or csv");
        }
        return painPoints.list(month, scope).map(entries -> {
            if (csv) {
                List<List<String>> rows = new ArrayList<>();
                for (PainPoints.Entry e : entries) {
                    PainPoints.PainPoint p = e.painPoint();
                    rows.add(List.of(e.period(), e.node(), e.department(), "" + e.complaints(), "" + e.breaches(), "" + e.lowScores(),
                            "" + e.surveyed(), e.lowScoreRate() == null ? "" : e.lowScoreRate().toString(), "" + e.weight(),
                            p == null ? "" : p.status(), p == null ? "" : p.planDue(), p == null ? "" : p.pilotDue(),
                            p == null ? "" : "" + p.planOverdue(), p == null ? "" : "" + p.pilotOverdue()));
                }
                return Response.ok(Csv.table(List.of("period", "node", "department", "complaints", "breaches", "lowScores",
                        "surveyed", "lowScoreRate", "weight", "status", "planDue", "pilotDue", "planOverdue", "pilotOverdue"), rows),
                        "text/csv").header("Content-Disposition", "attachment; filename=\"pain-points-" + month + ".csv\"").build();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("period", month.toString());
            body.put("mapVersion", painPoints.map().version());
            body.put("nodes", painPoints.map().nodesInOrder());
            body.put("rows", entries);
            return Response.ok(body, MediaType.APPLICATION_JSON).build();
        });
    }

    @GET
    @Path("/tickets")
    @Operation(summary = "The tickets behind one row of the list (complaints, breaches and low answers; at most 200, newest first)")
    public Uni<List<Map<String, Object>>> tickets(@QueryParam("period") String period, @QueryParam("node") String node,
            @QueryParam("department") String department) {
        YearMonth month = period(period);
        String owner = scope(required("department", department)).orElse(department);
        return painPoints.tickets(month, required("node", node), owner, 200);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One pain point: its owner, due dates, plan, pilot, overdue warnings and verification")
    public Uni<PainPoints.PainPoint> get(@PathParam("id") String id) {
        return painPoints.get(uuid(id)).invoke(p -> scope(p.department()));
    }

    @POST
    @RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open a pain point for a node and department with signals in the month (pain points also open by "
            + "themselves once a node's signals reach the threshold); the department is told and its plan is due in 3 days")
    public Uni<Response> open(Opening body) {
        if (body == null) {
            throw invalid("a body with period, node and department is required");
        }
        YearMonth month = period(required("period", body.period()));
        return painPoints.open(month, required("node", body.node()), required("department", body.department()), actor())
                .map(p -> Response.status(201).entity(p).header("Location", "/api/v1/pain-points/" + p.id()).build());
    }

    @PUT
    @Path("/{id}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The owning department's improvement plan (staff of that department, or ops)")
    public Uni<PainPoints.PainPoint> plan(@PathParam("id") String id, Answer body) {
        return answer(id, body, painPoints::plan);
    }

    @PUT
    @Path("/{id}/pilot")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The pilot that puts the plan into practice (staff of the owning department, or ops)")
    public Uni<PainPoints.PainPoint> pilot(@PathParam("id") String id, Answer body) {
        return answer(id, body, painPoints::pilot);
    }

    @POST
    @Path("/{id}/dismissal")
    @RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close a pain point that turned out to be none, with the reason (supervisors and ops); "
            + "it gets no overdue warning and no verification")
    public Uni<PainPoints.PainPoint> dismiss(@PathParam("id") String id, Answer body) {
        UUID pid = uuid(id);
        String reason = text(body);
        return painPoints.dismiss(pid, reason, actor());
    }

    /** One step of the owning department (plan or pilot), checked to come from that department or ops. */
    private Uni<PainPoints.PainPoint> answer(String id, Answer body, Step step) {
        UUID pid = uuid(id);
        String text = text(body);
        return painPoints.get(pid).chain(p -> {
            answerable(p.department());
            return step.take(pid, text, actor());
        });
    }

    private interface Step {
        Uni<PainPoints.PainPoint> take(UUID id, String text, String by);
    }

    /** The departments the caller may see: empty for all (ops, supervisors), else their own, refusing another. */
    private Optional<String> scope(String asked) {
        if (identity.hasRole(Roles.OPS) || identity.hasRole(Roles.SUPERVISOR)) {
            return Optional.ofNullable(asked);
        }
        String own = department();
        if (own == null) {
            throw forbidden("Staff see the pain points of their own department; no department is set for you.");
        }
        if (asked != null && !asked.equals(own)) {
            throw forbidden("Staff see the pain points of their own department.");
        }
        return Optional.of(own);
    }

    private void answerable(String owner) {
        if (!identity.hasRole(Roles.OPS) && !owner.equals(department())) {
            throw forbidden("Only the owning department (" + owner + ") or ops answers this pain point.");
        }
    }

    private String department() {
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("department") : null;
        return claim == null ? null : claim.toString();
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private YearMonth period(String period) {
        if (period == null || period.isBlank()) {
            return YearMonth.now(painPoints.zone());
        }
        try {
            if (period.length() != 7) {
                throw new DateTimeParseException("", period, 0);
            }
            YearMonth month = YearMonth.parse(period);
            if (month.getYear() < 2000 || month.getYear() > 2999) {
                throw new DateTimeParseException("", period, 0);
            }
            return month;
        } catch (DateTimeParseException e) {
            throw invalid("period is a month, YYYY-MM");
        }
    }

    private static String required(String name, String value) {
        if (!Text.isValidRequired(value, 64, false) || !value.matches("[A-Za-z0-9-]{1,64}")) {
            throw invalid(name + " is required: letters, digits and hyphens, at most 64");
        }
        return value;
    }

    private static String text(Answer body) {
        String problem = body == null ? "is required" : Text.problem(body.text(), 4000, true);
        if (body == null || body.text() == null || body.text().isBlank() || problem != null) {
            throw invalid("text " + (problem == null ? "is required" : problem));
        }
        return body.text().strip();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemTypes.NOT_FOUND, "No such pain point", 404, "Pain point ids are UUIDs.");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not a valid pain-point request", 400, detail);
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemTypes.FORBIDDEN, "Outside your scope", 403, detail);
    }
}
