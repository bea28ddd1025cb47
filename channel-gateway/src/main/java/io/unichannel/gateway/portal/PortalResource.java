package io.unichannel.gateway.portal;

import io.unichannel.common.web.SignedInPages;

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

    private static final String PAGE = SignedInPages.load("/portal/index.html");

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The portal page (signs the customer in through Keycloak first)")
    public Response page() {
        return SignedInPages.page(PAGE);
    }
}
