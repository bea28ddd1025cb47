package io.unichannel.gateway.portal;

import java.util.regex.Pattern;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The portal has a handful of paths; anything else under /portal is a 404 problem before the web
 * sign-on sees it (the sign-on would otherwise start a code flow for a made-up path, or answer a
 * path it cannot use with a bare error page).
 */
@ApplicationScoped
public class PortalPathGuard {

    private static final Pattern KNOWN = Pattern.compile(
            "^/portal/?$|^/portal/api/requests(/[0-9a-fA-F-]{1,64}(/events)?)?$|^/portal/api/customers/me/events$");
    void install(@Observes Router router) {
        io.unichannel.common.web.SignedInPages.allowOnly(router, "/portal", KNOWN, "portal");
    }
}
