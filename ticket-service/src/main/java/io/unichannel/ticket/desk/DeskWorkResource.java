package io.unichannel.ticket.desk;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.rest.WorkResource;
import io.unichannel.ticket.routing.RoutingService;
import io.unichannel.ticket.service.TicketService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The desk's own calls to the work API, authenticated by the desk's session cookie. */
@Path("/desk/api/work")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "Agent desk")
public class DeskWorkResource extends WorkResource {

    public DeskWorkResource(RoutingService routing, TicketService tickets, SecurityIdentity identity, ObjectMapper json) {
        super(routing, tickets, identity, json);
    }
}
