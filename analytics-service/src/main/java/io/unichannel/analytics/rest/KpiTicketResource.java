package io.unichannel.analytics.rest;

import java.util.List;

import io.unichannel.analytics.TicketFacts;
import io.unichannel.analytics.service.KpiStore;
import io.unichannel.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Drill-down: the tickets behind a KPI's number, with the same parameters and scope as the KPI itself. */
@Path("/api/v1/kpi-tickets")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "KPIs")
public class KpiTicketResource {

    private final KpiStore store;
    private final KpiRequests requests;

    public KpiTicketResource(KpiStore store, KpiRequests requests) {
        this.store = store;
        this.requests = requests;
    }

    @GET
    @Operation(summary = "The tickets behind a number (at most 200, newest first): the backlog's open tickets, or those "
            + "opened in the period, narrowed as the KPI question is")
    public List<TicketFacts> tickets(@BeanParam KpiParams params, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return store.tickets(requests.read(params, false), authorization);
    }

    @GET
    @Path("/parts")
    @Operation(summary = "This replica's part of a drill-down, for the other replicas; from and to are date-times")
    public List<TicketFacts> parts(@BeanParam KpiParams params) {
        return store.localTickets(requests.read(params, true));
    }
}
