package io.unichannel.gateway.portal;

import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemTypes;
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
        String path = request.getUriInfo().getPath();
        String method = request.getMethod();
        if (path.startsWith("/portal/api") && !"GET".equals(method) && !"HEAD".equals(method)
                && !"portal".equals(request.getHeaderString("X-Requested-With"))) {
            return new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403,
                    "Changes through the portal come from the portal page (X-Requested-With: portal).").toResponse();
        }
        return null;
    }
}
