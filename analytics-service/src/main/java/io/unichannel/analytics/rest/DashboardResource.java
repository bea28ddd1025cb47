package io.unichannel.analytics.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.analytics.ActiveAlert;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.KpiQuery;
import io.unichannel.analytics.KpiRow;
import io.unichannel.analytics.TicketFacts;
import io.unichannel.analytics.service.KpiStore;
import io.unichannel.common.security.Roles;
import io.unichannel.common.web.SignedInPages;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dashboard for supervisors and managers: one page, signed in through Keycloak (the staff web
 * client, authorization code with PKCE; the browser holds an encrypted session cookie, never a
 * token). Live KPI tiles with their hourly trend, drill-down to the tickets behind a number, and the
 * alerts raised; a supervisor sees their region, ops everything. Its data calls answer as the API does.
 */
@Path("/dashboard")
@RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "Dashboard")
public class DashboardResource {

    private static final String PAGE = SignedInPages.load("/dashboard/index.html");

    private final KpiStore store;
    private final KpiRequests requests;
    private final AccessTokenCredential accessToken;
    private final SecurityIdentity identity;

    public DashboardResource(KpiStore store, KpiRequests requests, AccessTokenCredential accessToken, SecurityIdentity identity) {
        this.store = store;
        this.requests = requests;
        this.accessToken = accessToken;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The dashboard page (signs the supervisor or manager in through Keycloak first)")
    public Response page() {
        return SignedInPages.page(PAGE);
    }

    @GET
    @Path("/api/kpis")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "KPI values for the dashboard, as GET /api/v1/kpis answers them")
    public Map<String, Object> kpis(@BeanParam KpiParams params) {
        KpiQuery query = requests.read(params, false);
        List<KpiRow> rows = store.answer(query, bearer());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grain", query.grain());
        body.put("from", query.from().toString());
        body.put("to", query.to().toString());
        body.put("definitionsVersion", Kpi.DEFINITIONS_VERSION);
        body.put("scope", query.filters());
        body.put("rows", rows);
        return body;
    }

    @GET
    @Path("/api/tickets")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tickets behind a number, as GET /api/v1/kpi-tickets answers them")
    public List<TicketFacts> tickets(@BeanParam KpiParams params) {
        return store.tickets(requests.read(params, false), bearer());
    }

    @GET
    @Path("/api/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Alerts raised and not yet cleared, as GET /api/v1/alerts answers them")
    public List<ActiveAlert> alerts() {
        String own = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("region") : null;
        return store.alerts(bearer(), alert -> identity.hasRole(Roles.OPS) || alert.dimensions().get("region") == null
                || alert.dimensions().get("region").equals(own));
    }

    /** The session's access token, for the other replicas' parts of an answer. */
    private String bearer() {
        return "Bearer " + accessToken.getToken();
    }
}
