package io.unichannel.common.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemTypes;
import io.vertx.ext.web.Router;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

/**
 * What every page a service serves behind a Keycloak web sign-on needs (the customer portal, the
 * agent desk): the page with headers that keep it to its own origin, a guard that lets a
 * cookie-authenticated change through only from the page itself, and an allowlist of the page's
 * few paths so that a made-up path is a 404 problem before the sign-on sees it.
 */
public final class SignedInPages {

    private SignedInPages() {
    }

    /** A page from the build's resources; a missing page stops the start. */
    public static String load(String resource) {
        try (InputStream page = SignedInPages.class.getResourceAsStream(resource)) {
            if (page == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return new String(page.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The page, never cached, scripts and calls only from its own origin, never framed. */
    public static Response page(String html) {
        return Response.ok(html).header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                        + "style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    /**
     * A change under {@code apiPrefix} must carry {@code X-Requested-With: <page>}: a header another
     * site's form cannot send (and a script elsewhere could only after a CORS preflight nobody grants).
     * Answers the 403 problem to send, or null to let the request through.
     */
    public static Response refuseForeignChange(ContainerRequestContext request, String apiPrefix, String page) {
        String method = request.getMethod();
        if (request.getUriInfo().getPath().startsWith(apiPrefix) && !"GET".equals(method) && !"HEAD".equals(method)
                && !page.equals(request.getHeaderString("X-Requested-With"))) {
            return new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403,
                    "Changes through the " + page + " come from its own page (X-Requested-With: " + page + ").").toResponse();
        }
        return null;
    }

    /** Anything under {@code prefix} that {@code known} does not match is a 404 problem, before any sign-on. */
    public static void allowOnly(Router router, String prefix, Pattern known, String what) {
        String problem = "{\"type\":\"urn:unichannel:problem:not-found\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"The " + what + " has no such page.\"}";
        router.route(prefix + "*").order(Integer.MIN_VALUE + 2).handler(context -> {
            String path = context.request().path();
            if (path == null || path.length() > 200 || !known.matcher(path).matches()) {
                context.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problem);
            } else {
                context.next();
            }
        });
    }
}
