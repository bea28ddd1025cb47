package io.unichannel.common.security;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tells the caller how this service sees its token: who, on which channel, with which roles.
 * Every service has it, so a channel front end or an operator can check sign-on end to end.
 */
@Path("/api/v1/session")
@Authenticated
@Tag(name = "Session")
public class SessionResource {

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    @Inject
    public SessionResource(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    /** The signed-in party as this service sees it. */
    public record Session(String subject, String username, String clientId, String channel, String customerId,
            Set<String> roles, Instant expiresAt) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed-in party as this service sees its bearer token")
    public Session get() {
        String clientId = token.getClaim("azp");
        Set<String> roles = new TreeSet<>(identity.getRoles());
        roles.retainAll(Roles.ALL);
        return new Session(token.getSubject(), token.getClaim("preferred_username"), clientId,
                Channels.fromClientId(clientId).orElse(null), token.getClaim("customer_id"), roles,
                Instant.ofEpochSecond(token.getExpirationTime()));
    }
}
