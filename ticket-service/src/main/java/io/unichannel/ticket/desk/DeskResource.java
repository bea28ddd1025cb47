package io.unichannel.ticket.desk;

import io.quarkus.security.Authenticated;
import io.unichannel.common.web.SignedInPages;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent desk: one page, signed in through Keycloak (staff-console, authorization code with
 * PKCE; the browser holds an encrypted session cookie, never a token). The agent sets their
 * presence, sees the offer they hold and their tickets live, opens a ticket with the customer's
 * other tickets from every channel and its SLA clocks counting down, and acts on it.
 */
@Path("/desk")
@Authenticated
@Tag(name = "Agent desk")
public class DeskResource {

    private static final String PAGE = SignedInPages.load("/desk/index.html");

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The agent desk page (signs the agent in through Keycloak first)")
    public Response page() {
        return SignedInPages.page(PAGE);
    }
}
