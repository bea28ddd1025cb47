package io.unichannel.gateway.push;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The APP registers its installation's push token after sign-in, and again whenever the push
 * provider issues a new one; the customer sees and removes their installations. Only the APP's
 * own client may register one.
 */
@Path("/api/v1/devices")
@RolesAllowed(Roles.CUSTOMER)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications")
public class DeviceResource {

    /** A registration: the handset's platform, the provider's token for this installation, the APP's dotted version. */
    public record Registration(@NotNull @Pattern(regexp = "android|ios|harmony") String platform,
            @NotNull @Pattern(regexp = "[A-Za-z0-9._:\\-]{16,256}") String pushToken,
            @Pattern(regexp = "[0-9]{1,4}(\\.[0-9A-Za-z-]{1,10}){1,4}") String appVersion) {
    }

    /** An installation as its customer sees it: the token's last characters only. */
    public record Installation(UUID id, String platform, String appVersion, String token, OffsetDateTime registeredAt,
            OffsetDateTime lastSeenAt) {
    }

    private final Devices devices;
    private final ProgressRepository progress;
    private final Caller caller;

    public DeviceResource(Devices devices, ProgressRepository progress, Caller caller) {
        this.devices = devices;
        this.progress = progress;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register this APP installation for push notices (again after the token changes)")
    public Uni<Response> register(@Valid @NotNull Registration body) {
        if (!"app".equals(caller.channel())) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Not the APP", 403,
                    "Only the APP registers installations for push notices.");
        }
        return progress.canonical(caller.customerId())
                .chain(customer -> devices.register(customer, body.platform(), body.pushToken(), body.appVersion()))
                .map(d -> Response.created(URI.create("/api/v1/devices/" + d.id())).entity(installation(d)).build());
    }

    @GET
    @Operation(summary = "The caller's APP installations that receive push notices")
    public Uni<List<Installation>> list() {
        return progress.canonical(caller.customerId()).chain(progress::idsOf).chain(devices::of)
                .map(list -> list.stream().map(DeviceResource::installation).toList());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Stop push notices to one installation (signing out of the APP does this)")
    public Uni<Response> remove(@PathParam("id") String id) {
        UUID device;
        try {
            device = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
        return progress.canonical(caller.customerId()).chain(progress::idsOf).chain(ids -> devices.remove(ids, device))
                .map(removed -> {
                    if (!removed) {
                        throw notFound();
                    }
                    return Response.noContent().build();
                });
    }

    private static Installation installation(Devices.Device d) {
        String token = d.pushToken();
        return new Installation(d.id(), d.platform(), d.appVersion(), "..." + token.substring(token.length() - 4),
                d.registeredAt(), d.lastSeenAt());
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Installation not found", 404, "You have no such installation.");
    }
}
