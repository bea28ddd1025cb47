package io.unichannel.ticket.desk;

import java.util.regex.Pattern;

import io.unichannel.common.web.SignedInPages;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The desk authenticates by cookie: a change must come from the desk page itself
 * ({@code X-Requested-With: desk}), and only the desk's own paths exist under /desk.
 */
@ApplicationScoped
public class DeskGuards {

    private static final Pattern KNOWN = Pattern.compile("^/desk/?$"
            + "|^/desk/api/work/(queue|presence|overview|next)$"
            + "|^/desk/api/work/(offers/[A-Za-z0-9-]{1,32}/(accept|decline)|tickets/[A-Za-z0-9-]{1,32}/(release|transfer|routing))$"
            + "|^/desk/api/troubleTicket(/[A-Za-z0-9-]{1,32})?$");

    void install(@Observes Router router) {
        SignedInPages.allowOnly(router, "/desk", KNOWN, "agent desk");
    }

    @ServerRequestFilter(preMatching = true)
    public Response guard(ContainerRequestContext request) {
        return SignedInPages.refuseForeignChange(request, "/desk/api", "desk");
    }
}
