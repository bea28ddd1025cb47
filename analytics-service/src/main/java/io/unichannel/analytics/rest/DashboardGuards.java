package io.unichannel.analytics.rest;

import java.util.regex.Pattern;

import io.unichannel.common.web.SignedInPages;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Only the dashboard's own paths exist under /dashboard (a made-up one is a 404 problem before the sign-on). */
@ApplicationScoped
public class DashboardGuards {

    private static final Pattern KNOWN = Pattern.compile("^/dashboard/?$|^/dashboard/api/(kpis|tickets|alerts|pain-points)$");

    void install(@Observes Router router) {
        SignedInPages.allowOnly(router, "/dashboard", KNOWN, "dashboard");
    }
}
