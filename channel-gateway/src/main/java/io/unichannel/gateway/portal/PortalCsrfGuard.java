package io.unichannel.gateway.portal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The portal authenticates by cookie, so a change must prove it comes from the portal's own page:
 * a custom header another site's form cannot send (and a script on another origin could only send
 * after a CORS preflight the gateway does not grant).
 */
public class PortalCsrfGuard {

    @ServerRequestFilter(preMatching = true)
    public Response guard(ContainerRequestContext request) {
        return io.unichannel.common.web.SignedInPages.refuseForeignChange(request, "/portal/api", "portal");
    }
}
