package io.unichannel.gateway.rest;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.intake.Intake;
import io.unichannel.gateway.repository.ProgressRepository;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * The renewal offers proactive care sent a customer: read one, and accept it from any channel.
 * Accepting opens a package-change request like any other (the same intake, idempotent on the
 * offer), which the automation settles with no person involved; accepting twice gives the same
 * request. Only the customer the offer was made to (or a record merged into theirs) sees it.
 */
@Path("/api/v1/offers")
@RolesAllowed(Roles.CUSTOMER)
@Tag(name = "Requests")
public class OfferResource {

    private static final String OFFER_ID = "[0-9a-f-]{36}";

    /** An offer as the customer sees it. */
    public record Offer(String offerId, String message, String offeredPackage, String offeredPackageName, OffsetDateTime expiresAt,
            UUID acceptedRequest) {
    }

    private final PgPool pool;
    private final ProgressRepository progress;
    private final Intake intake;
    private final Caller caller;

    public OfferResource(PgPool pool, ProgressRepository progress, Intake intake, Caller caller) {
        this.pool = pool;
        this.progress = progress;
        this.intake = intake;
        this.caller = caller;
    }

    @GET
    @Path("{offerId}")
    @Operation(summary = "One of the caller's renewal offers")
    public Uni<Offer> get(@PathParam("offerId") @Pattern(regexp = OFFER_ID) String offerId) {
        return mine(offerId).map(OfferResource::offer);
    }

    @POST
    @Path("{offerId}/accept")
    @Operation(summary = "Accept a renewal offer: answers 202 with the package-change request it opened (the same one when repeated)")
    public Uni<Response> accept(@PathParam("offerId") @Pattern(regexp = OFFER_ID) String offerId) {
        return mine(offerId).chain(row -> {
            String target = row.getString("offered_package");
            if (target == null) {
                throw new ProblemException(ProblemTypes.CONFLICT, "Nothing to accept", 409,
                        "This reminder offers no package change; renew in the app or at a store.");
            }
            if (!row.getOffsetDateTime("expires_at").isAfter(OffsetDateTime.now())) {
                throw new ProblemException(ProblemTypes.GONE, "Offer expired", 410, "The contract this offer renews has ended.");
            }
            Intake.Submitter who = new Intake.Submitter(caller.customerId(), caller.subject(), caller.channel(), caller.region(),
                    caller.valueTier());
            String name = row.getString("offered_package_name");
            io.unichannel.gateway.rest.SubmitRequest body = new io.unichannel.gateway.rest.SubmitRequest("businessRequest",
                    "Accepted the renewal offer: change to " + (name == null ? target : name) + ".", "renewal", null, null,
                    Map.of("intent", "packageChange", "targetPackage", target, "offerId", offerId));
            return intake.submit(who, body, "offer:" + offerId).chain(submitted -> pool.preparedQuery(
                    "UPDATE care_notice SET accepted_request = $2 WHERE offer_id = $1")
                    .execute(Tuple.of(offerId, submitted.requestId())).map(done -> {
                        String self = "/api/v1/requests/" + submitted.requestId();
                        return Response.accepted(new RequestResource.Accepted(submitted.requestId(), "submitted",
                                submitted.submittedAt(), Map.of("self", self, "events", self + "/events")))
                                .location(URI.create(self)).build();
                    }));
        });
    }

    /** The offer, when it was made to the caller; otherwise a 404, as if it did not exist. */
    private Uni<Row> mine(String offerId) {
        return progress.canonical(caller.customerId()).chain(canonical -> progress.idsOf(canonical))
                .chain(ids -> pool.preparedQuery("SELECT * FROM care_notice WHERE offer_id = $1 AND customer_id = ANY($2)")
                        .execute(Tuple.of(offerId, ids.toArray(new String[0]))))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new ProblemException(ProblemTypes.NOT_FOUND, "No such offer", 404, "You have no offer " + offerId + ".");
                    }
                    return rows.iterator().next();
                });
    }

    private static Offer offer(Row row) {
        return new Offer(row.getString("offer_id"), row.getString("message"), row.getString("offered_package"),
                row.getString("offered_package_name"), row.getOffsetDateTime("expires_at"), row.getUUID("accepted_request"));
    }
}
