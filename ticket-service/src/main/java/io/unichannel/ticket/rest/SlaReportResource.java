package io.unichannel.ticket.rest;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.repository.SlaReportRepository;
import io.unichannel.ticket.repository.SlaReportRepository.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The SLA report for supervisors: met %, breaches and time used per policy and metric, in JSON or CSV. */
@Path("/api/v1/sla/report")
@RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "SLA")
public class SlaReportResource {

    private static final String CSV = "text/csv";
    private static final Duration LONGEST = Duration.ofDays(400);

    /** The report over one period. */
    public record Report(OffsetDateTime from, OffsetDateTime to, String groupBy, List<Row> rows) {
    }

    private final SlaReportRepository reports;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public SlaReportResource(SlaReportRepository reports, io.quarkus.security.identity.SecurityIdentity identity) {
        this.reports = reports;
        this.identity = identity;
    }

    @GET
    @WithSession
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "SLA outcomes of the tickets opened in [from, to) (a supervisor's: their region's): met %, breached, open, mean and p50/p90/p95 of time used; "
            + "groupBy ticketType, region, channel, agent, priority or severity; Accept: text/csv for a spreadsheet")
    @io.unichannel.common.security.AccessAudited(resource = "sla-report")
    public Uni<Response> report(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("groupBy") String groupBy, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        OffsetDateTime start = time("from", from);
        OffsetDateTime end = time("to", to);
        if (!end.isAfter(start) || Duration.between(start, end).compareTo(LONGEST) > 0) {
            throw invalid("Invalid period", "'to' must be after 'from', at most 400 days later.");
        }
        if (groupBy != null && !SlaReportRepository.DIMENSIONS.containsKey(groupBy)) {
            throw invalid("Unknown dimension", "groupBy is one of " + String.join(", ",
                    SlaReportRepository.DIMENSIONS.keySet().stream().sorted().toList()) + ".");
        }
        boolean csv = headers.getAcceptableMediaTypes().stream().anyMatch(m -> CSV.equals(m.getType() + "/" + m.getSubtype()));
        return reports.report(start, end, groupBy, StaffScope.of(identity)).map(rows -> csv
                ? Response.ok(csv(rows), CSV).header("Content-Disposition", "attachment; filename=\"sla-report.csv\"").build()
                : Response.ok(new Report(start, end, groupBy, rows), MediaType.APPLICATION_JSON).build());
    }

    private static String csv(List<Row> rows) {
        String header = "policyId,metric,regulatory,group,clocks,met,breached,open,metPercent,meanSeconds,p50Seconds,p90Seconds,p95Seconds\n";
        return header + rows.stream().map(r -> String.join(",", cell(r.policyId()), cell(r.metric()),
                String.valueOf(r.regulatory()), cell(r.group()), String.valueOf(r.clocks()), String.valueOf(r.met()),
                String.valueOf(r.breached()), String.valueOf(r.open()), cell(r.metPercent()), cell(r.meanSeconds()), cell(r.p50Seconds()),
                cell(r.p90Seconds()), cell(r.p95Seconds()))).collect(Collectors.joining("\n", "", rows.isEmpty() ? "" : "\n"));
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is neutralised so a spreadsheet never runs it as a formula. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
            text = "'" + text;
        }
        return text.matches("[A-Za-z0-9._:'/ -]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            throw invalid("Missing " + name, name + " is required: a date (2026-11-01) or an RFC 3339 time.");
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC) : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid("Invalid " + name, name + " must be a date (2026-11-01) or an RFC 3339 time.");
        }
    }

    private static ProblemException invalid(String title, String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, title, 400, detail);
    }
}
