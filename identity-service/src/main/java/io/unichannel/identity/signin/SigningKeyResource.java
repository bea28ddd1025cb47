package io.unichannel.identity.signin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public halves of the sign-in assertion keys as a JWKS (what Keycloak reads, deliberately
 * public), and rotation for ops.
 */
@Path("/api/v1/sign-in")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in keys", description = "The JWKS Keycloak trusts sign-in assertions by, and key rotation")
public class SigningKeyResource {

    public record KeyView(String kid, Instant activatesAt, Instant retiresAt, String state) {
    }

    private final SigningKeys keys;
    private final SignInConfig config;

    public SigningKeyResource(SigningKeys keys, SignInConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("/jwks.json")
    @PermitAll
    @Operation(summary = "The public keys that verify identity-service's sign-in assertions (RFC 7517)")
    public Uni<Response> jwks() {
        return Blocking.call(() -> Response.ok(Map.of("keys", keys.published().stream().map(SigningKeys.SigningKey::jwk).toList()))
                .header("Cache-Control", "max-age=10").build());
    }

    @GET
    @Path("/signing-keys")
    @RolesAllowed(Roles.OPS)
    @Operation(summary = "The sign-in keys: signing, next, and those still published for assertions in flight")
    public Uni<List<KeyView>> list() {
        return Blocking.call(() -> {
            String signing = keys.current().kid();
            Instant now = Instant.now();
            return keys.published().stream().map(k -> new KeyView(k.kid(), k.activatesAt(), k.retiresAt(),
                    k.kid().equals(signing) ? "signing" : k.activatesAt().isAfter(now) ? "next" : "retiring")).toList();
        });
    }

    @POST
    @Path("/signing-keys/rotation")
    @RolesAllowed(Roles.OPS)
    @Operation(summary = "Rotate now: a new key is published at once and signs after the publish lead; "
            + "a rotation under way is returned, not doubled")
    public Uni<Response> rotate() {
        return Blocking.call(() -> {
            SigningKeys.SigningKey next = keys.rotate(config.keys().publishLead());
            return Response.accepted(new KeyView(next.kid(), next.activatesAt(), null, "next")).build();
        });
    }
}
