package io.unichannel.gateway.hotline;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.adapters.ChannelCustomers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A customer's interactions with the contact centre, TMF683 Party Interaction style, for staff.
 * Staff see the interactions of the customers in their scope: identity-service is asked for the
 * customer record with the caller's own token, so a customer of another region is a 404 here too.
 */
@Path("/tmf-api/partyInteraction/v5/partyInteraction")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PartyInteraction")
public class InteractionResource {

    private final CallEvents calls;
    private final ChannelCustomers.AsCaller identity;

    public InteractionResource(CallEvents calls, @RestClient ChannelCustomers.AsCaller identity) {
        this.calls = calls;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The interactions of one customer (relatedParty.id), newest first, a page at a time")
    public Uni<List<CallEvents.Interaction>> list(@QueryParam("relatedParty.id") String customerId,
            @HeaderParam("Authorization") String authorization,
            @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        if (customerId == null || !io.unichannel.common.validation.Text.isValidRequired(customerId, 64, false)) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, "relatedParty.id is required");
        }
        return identity.customer(authorization, customerId)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() / 100 == 4)
                .transform(e -> new ProblemException(ProblemTypes.NOT_FOUND, "Customer not found", 404,
                        "There is no customer " + customerId + " in your scope."))
                .chain(c -> calls.of(c.id(), offset, limit));
    }
}
