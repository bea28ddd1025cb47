package io.unichannel.analytics.rest;

import java.util.List;

import io.unichannel.analytics.ActiveAlert;
import io.unichannel.analytics.service.KpiStore;
import io.unichannel.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The early warnings raised and not yet cleared: ops see all, a supervisor those of their region and platform-wide ones. */
@Path("/api/v1/alerts")
@RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts")
public class AlertResource {

    private final KpiStore store;
    private final KpiRequests requests;

    public AlertResource(KpiStore store, KpiRequests requests) {
        this.store = store;
        this.requests = requests;
    }

    @GET
    @Operation(summary = "Alerts raised and not yet cleared, newest first")
    public List<ActiveAlert> active(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return store.alerts(authorization, requests::sees);
    }

    @GET
    @Path("/parts")
    @Operation(summary = "This replica's part of the raised alerts, for the other replicas")
    public List<ActiveAlert> parts() {
        return store.localAlerts().stream().filter(requests::sees).toList();
    }
}
