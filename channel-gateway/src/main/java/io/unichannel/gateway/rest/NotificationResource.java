package io.unichannel.gateway.rest;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.repository.ProgressRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the platform told the customer, on which channel, and whether it arrived (the provider's receipt). */
@Path("/api/v1/notifications")
@RolesAllowed(Roles.CUSTOMER)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications")
public class NotificationResource {

    private final DeliveryLedger ledger;
    private final ProgressRepository progress;
    private final Caller caller;

    public NotificationResource(DeliveryLedger ledger, ProgressRepository progress, Caller caller) {
        this.ledger = ledger;
        this.progress = progress;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's notices, newest first: channel, purpose, outcome (held, sent, delivered, "
            + "undelivered, refused) and the provider's receipt")
    public Uni<List<Map<String, Object>>> list(@QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return progress.canonical(caller.customerId()).chain(progress::idsOf).chain(ids -> ledger.of(ids, offset, limit));
    }
}
