package io.unichannel.analytics.rest;

import java.util.List;

import io.quarkus.security.identity.SecurityIdentity;
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
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The early warnings raised and not yet cleared: ops see all, a supervisor those of their region and platform-wide ones. */
@Path("/api/v1/alerts")
@RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts")
public class AlertResource {

    private final KpiStore store;
    private final SecurityIdentity identity;

    public AlertResource(KpiStore store, SecurityIdentity identity) {
        this.store = store;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Alerts raised and not yet cleared, newest first")
    public List<ActiveAlert> active(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return store.alerts(authorization, this::visible);
    }

    @GET
    @Path("/parts")
    @Operation(summary = "This replica's part of the raised alerts, for the other replicas")
    public List<ActiveAlert> parts() {
        return store.localAlerts().stream().filter(this::visible).toList();
    }

    private boolean visible(ActiveAlert alert) {
        if (identity.hasRole(Roles.OPS)) {
            return true;
        }
        String own = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("region") : null;
        String region = alert.dimensions().get("region");
        return region == null || region.equals(own);
    }
}
