package io.unichannel.identity.signin;

import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Actor;
import io.unichannel.identity.customer.CustomerService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A customer binds a phone number only by proving it is theirs: a one-time code goes to the
 * number, and the code comes back. Asking never tells whether the number belongs to anyone.
 */
@Path("/api/v1/customers/{id}/msisdn-proofs")
@RolesAllowed(Roles.CUSTOMER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Customers")
public class BindingProofResource {

    public record ProofRequest(@NotNull @Pattern(regexp = "^\\+?[0-9]{6,15}$", message = "must be a phone number (digits, optional +)") String msisdn) {
    }

    public record CodeRequest(@NotNull @Pattern(regexp = "^[0-9]{4,10}$", message = "must be the digits received") String code) {
    }

    private final SignInService signIn;
    private final CustomerService customers;
    private final SecurityIdentity identity;

    public BindingProofResource(SignInService signIn, CustomerService customers, SecurityIdentity identity) {
        this.signIn = signIn;
        this.customers = customers;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Send a one-time code to a number the customer wants to bind",
            description = "202 with the proof id, whoever the number belongs to. Answer with POST .../{proofId}.")
    public Uni<Response> start(@PathParam("id") String id, @Valid @NotNull ProofRequest body) {
        Actor actor = Actor.of(identity);
        return customers.accessible(id, actor).chain(c -> signIn.startBindingProof(c.id, body.msisdn(), actor))
                .map(challenge -> Response.accepted(challenge).build());
    }

    @POST
    @Path("{proofId}")
    @Operation(summary = "Answer a binding proof with the code the phone received: the number is bound")
    public Uni<Response> complete(@PathParam("id") String id, @PathParam("proofId") UUID proofId,
            @Valid @NotNull CodeRequest body) {
        Actor actor = Actor.of(identity);
        return customers.accessible(id, actor).chain(c -> signIn.completeBindingProof(c.id, proofId, body.code(), actor))
                .map(bound -> Response.status(201).entity(new Bound(bound.id, bound.identityType, bound.masked)).build());
    }

    public record Bound(UUID id, String identityType, String externalIdMasked) {
    }
}
