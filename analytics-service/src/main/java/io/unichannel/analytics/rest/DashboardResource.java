package io.unichannel.analytics.rest;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.oidc.AccessTokenCredential;
import io.smallrye.mutiny.Uni;
import io.unichannel.analytics.ActiveAlert;
import io.unichannel.analytics.KpiQuery;
import io.unichannel.analytics.TicketFacts;
import io.unichannel.analytics.service.KpiStore;
import io.unichannel.analytics.service.PainPoints;
import io.unichannel.common.security.Roles;
import io.unichannel.common.web.SignedInPages;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dashboard for supervisors and managers: one page, signed in through Keycloak (the staff web
 * client, authorization code with PKCE; the browser holds an encrypted session cookie, never a
 * token). Live KPI tiles with their hourly trend, drill-down to the tickets behind a number, the
 * alerts raised, and this month's pain-point list; a supervisor sees their region's KPIs, ops everything. Its data calls answer as the API does.
 */
@Path("/dashboard")
@RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "Dashboard")
public class DashboardResource {

    private static final String PAGE = SignedInPages.load("/dashboard/index.html");

    private final KpiStore store;
    private final KpiRequests requests;
    private final AccessTokenCredential accessToken;

    private final PainPoints painPoints;

    public DashboardResource(KpiStore store, KpiRequests requests, AccessTokenCredential accessToken, PainPoints painPoints) {
        this.store = store;
        this.painPoints = painPoints;
        this.requests = requests;
        this.accessToken = accessToken;
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
        return KpiRequests.answer(query, store.answer(query, bearer()));
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
        return store.alerts(bearer(), requests::sees);
    }

    @GET
    @Path("/api/pain-points")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This month's pain-point list, as GET /api/v1/pain-points answers it")
    public Uni<List<PainPoints.Entry>> painPointList() {
        return painPoints.list(YearMonth.now(painPoints.zone()), Optional.empty());
    }

    /** The session's access token, for the other replicas' parts of an answer. */
    private String bearer() {
        return "Bearer " + accessToken.getToken();
    }
}
