package io.unichannel.gateway.portal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The customer web portal: one page, signed in through Keycloak with the confidential web client
 * as its server side (the browser holds only an encrypted session cookie, never a token). It
 * submits requests, lists them and follows them live from the same intake and progress view as
 * every other channel.
 */
@Path("/portal")
@Authenticated
@Tag(name = "Customer portal")
public class PortalResource {

    private static final String PAGE = load();

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The portal page (signs the customer in through Keycloak first)")
    public Response page() {
        return Response.ok(PAGE).header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                        + "style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private static String load() {
        try (InputStream page = PortalResource.class.getResourceAsStream("/portal/index.html")) {
            if (page == null) {
                throw new IllegalStateException("portal/index.html is missing from the build");
            }
            return new String(page.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
