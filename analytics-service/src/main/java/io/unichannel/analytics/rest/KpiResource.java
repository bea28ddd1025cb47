package io.unichannel.analytics.rest;

import java.util.List;

import io.unichannel.analytics.KpiQuery;
import io.unichannel.analytics.KpiRow;
import io.unichannel.analytics.service.KpiStore;
import io.unichannel.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every KPI by channel, ticket type, region and agent: live (the last 15 minutes), hourly, daily or
 * monthly, as JSON or CSV. Ops see everything, a supervisor their region, an agent their own work.
 */
@Path("/api/v1/kpis")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "KPIs")
public class KpiResource {

    static final MediaType CSV = new MediaType("text", "csv");

    private final KpiStore store;
    private final KpiRequests requests;

    public KpiResource(KpiStore store, KpiRequests requests) {
        this.store = store;
        this.requests = requests;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "KPI values: kpi (comma-separated, default all), grain live|hour|day|month, from/to (dates or "
            + "date-times; to exclusive), channel/ticketType/region/agent filters, groupBy (comma-separated dimensions), "
            + "format=csv or Accept: text/csv for a CSV export")
    public Response kpis(@BeanParam KpiParams params, @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        KpiQuery query = requests.read(params, false);
        List<KpiRow> rows = store.answer(query, authorization);
        boolean csv = "csv".equals(format) || format == null && accept != null && accept.startsWith("text/csv");
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw KpiRequests.invalid("format is csv or json");
        }
        if (csv) {
            return Response.ok(Csv.of(rows, query.groupBy()), CSV)
                    .header("Content-Disposition", "attachment; filename=\"kpis-" + query.grain() + ".csv\"").build();
        }
        return Response.ok(KpiRequests.answer(query, rows), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/parts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This replica's part of an answer (sums only), for the other replicas; from and to are date-times")
    public List<KpiRow> parts(@BeanParam KpiParams params) {
        return store.part(requests.read(params, true));
    }
}
