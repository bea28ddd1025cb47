package io.unichannel.ticket.desk;

import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.rest.TroubleTicketResource;
import io.unichannel.ticket.service.TicketService;
import io.unichannel.ticket.sla.SlaService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The desk's own calls to the TMF621 ticket API (list, read, change), authenticated by the desk's session cookie. */
@Path("/desk/api/troubleTicket")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "Agent desk")
public class DeskTicketResource extends TroubleTicketResource {

    public DeskTicketResource(TicketService tickets, SlaService sla, JsonWebToken token, SecurityIdentity identity,
            com.fasterxml.jackson.databind.ObjectMapper json, jakarta.validation.Validator validator) {
        super(tickets, sla, token, identity, json, validator);
    }
}
