package io.unichannel.ticket.hub;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.AccessAudited;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.mapping.TroubleTicketDto;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * TMF621 event subscription (hub) for partner systems: register a callback with a TMF630 query,
 * read or remove it, read its delivery log and ask for a dead delivery again. Only partner clients
 * subscribe; each receives the events of the tickets it is entitled to (those it reported, and
 * those of its granted region).
 */
@Path(TroubleTicketDto.API_ROOT + "/hub")
@RolesAllowed(Roles.PARTNER)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events subscription")
public class HubResource {

    /** At most this many subscriptions per partner. */
    static final int MAX_PER_PARTNER = 20;

    private final SecurityIdentity identity;
    private final JsonWebToken token;
    private final CallbackPolicy policy;
    private final HubDeliverer deliverer;
    private final io.unichannel.common.privacy.SealedSecrets sealed;

    public HubResource(SecurityIdentity identity, JsonWebToken token, HubDeliverer deliverer, HubDeliveryConfig config) {
        this.identity = identity;
        this.token = token;
        this.deliverer = deliverer;
        this.policy = new CallbackPolicy(config.allowPrivateCallbacks());
        this.sealed = new io.unichannel.common.privacy.SealedSecrets(config.secretKey());
    }

    /** Hub_FVO. */
    public record HubInput(@NotBlank @Size(max = 2000) String callback, @Size(max = 2000) String query,
            @JsonProperty("@type") @Pattern(regexp = "Hub|EventSubscriptionInput", message = "must be Hub") String type) {
    }

    /** Hub, with the signing secret on creation only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "href", "@type"})
    public record HubView(String id, String href, @JsonProperty("@type") String type, String callback, String query,
            String secret, String signatureScheme) {
        static HubView of(HubSubscription s, String secret) {
            boolean withSecret = secret != null;
            return new HubView(s.id, TroubleTicketDto.API_ROOT + "/hub/" + s.id, "Hub", s.callback, s.query,
                    secret, withSecret ? "X-Hub-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "
                            + "\"<t>.<body>\" with this secret>" : null);
        }
    }

    /** One line of a subscription's delivery log. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(long id, String eventId, String eventType, String ticketId, int sequence, String state,
            int attempts, Integer lastStatus, String lastError, OffsetDateTime createdAt, OffsetDateTime nextAttemptAt,
            OffsetDateTime deliveredAt) {
        static DeliveryView of(HubDelivery d) {
            return new DeliveryView(d.id, d.eventId, d.eventType, d.ticketId, d.sequence, d.state, d.attempts,
                    d.lastStatus, d.lastError, d.createdAt, HubDelivery.PENDING.equals(d.state) ? d.nextAttemptAt : null,
                    d.deliveredAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a callback to ticket events matching a TMF630 query (eventType, "
            + "event.troubleTicket.ticketType, .status, .severity, region); 201 with the signing secret, shown once")
    @AccessAudited(resource = "hub", action = AccessAudited.Action.CHANGE)
    @io.quarkus.resteasy.reactive.jackson.CustomDeserialization(io.unichannel.common.problem.ClosedBody.class)
    public Uni<Response> create(@Valid @NotNull HubInput input) {
        HubQuery.parse(input.query());
        StaffScope scope = StaffScope.partner(token);
        // The callback's host is resolved off the event loop; the subscription is stored after.
        return policy.checkAsync(input.callback()).chain(uri -> io.quarkus.hibernate.reactive.panache.Panache.withTransaction(
                () -> HubSubscription.count("partner", scope.staffId()).chain(count -> {
                    if (count >= MAX_PER_PARTNER) {
                        return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT, "Too many subscriptions", 409,
                                "A partner holds at most " + MAX_PER_PARTNER + " subscriptions; remove one first."));
                    }
                    HubSubscription s = new HubSubscription();
                    s.id = UUID.randomUUID().toString();
                    s.partner = scope.staffId();
                    s.callback = input.callback();
                    s.query = input.query() == null || input.query().isBlank() ? null : input.query();
                    String secret = HubSignature.newSecret();
                    s.secret = sealed.seal(secret);
                    s.region = scope.region();
                    s.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
                    return s.persist().replaceWith(Response.status(Response.Status.CREATED)
                            .location(java.net.URI.create(TroubleTicketDto.API_ROOT + "/hub/" + s.id))
                            .entity(HubView.of(s, secret)).build());
                })));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One of the caller's subscriptions (without its secret)")
    @WithSession
    public Uni<HubView> get(@PathParam("id") String id) {
        return own(id).map(s -> HubView.of(s, null));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a subscription; its pending deliveries go with it")
    @AccessAudited(resource = "hub", action = AccessAudited.Action.CHANGE, idParam = "id")
    @WithTransaction
    public Uni<Response> delete(@PathParam("id") String id) {
        return own(id).chain(s -> s.delete().invoke(() -> deliverer.forget(s.callback)))
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("{id}/delivery")
    @Operation(summary = "The subscription's delivery log, newest first: state (pending, delivered, dead), attempts, "
            + "last HTTP status or error; filter with state")
    @WithSession
    public Uni<Response> deliveries(@PathParam("id") String id,
            @QueryParam("state") @Pattern(regexp = "pending|delivered|dead", message = "must be pending, delivered or dead") String state,
            @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(1_000_000) int offset,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return own(id).chain(s -> {
            String where = state == null ? "subscriptionId = ?1" : "subscriptionId = ?1 and state = ?2";
            Object[] params = state == null ? new Object[] {s.id} : new Object[] {s.id, state};
            return HubDelivery.count(where, params).chain(total -> HubDelivery.<HubDelivery>find(where + " order by id desc", params)
                    .range(offset, offset + limit - 1).list().map(list -> {
                        List<DeliveryView> page = list.stream().map(DeliveryView::of).toList();
                        return Response.ok(page).header("X-Total-Count", total).header("X-Result-Count", page.size()).build();
                    }));
        });
    }

    @POST
    @Path("{id}/delivery/{deliveryId}/redeliver")
    @Operation(summary = "Send a dead (or delivered) delivery again, with a fresh retry budget; 202")
    @AccessAudited(resource = "hub", action = AccessAudited.Action.CHANGE, idParam = "id")
    @WithTransaction
    public Uni<Response> redeliver(@PathParam("id") String id, @PathParam("deliveryId") long deliveryId) {
        return own(id).chain(s -> HubDelivery.<HubDelivery>find("id = ?1 and subscriptionId = ?2", deliveryId, s.id).<HubDelivery>firstResult())
                .chain((HubDelivery d) -> {
                    if (d == null) {
                        return Uni.createFrom().failure(notFound("There is no delivery " + deliveryId + " in this subscription."));
                    }
                    if (HubDelivery.PENDING.equals(d.state)) {
                        return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT, "Already pending", 409,
                                "This delivery is still being attempted."));
                    }
                    d.state = HubDelivery.PENDING;
                    d.attempts = 0;
                    d.nextAttemptAt = OffsetDateTime.now(ZoneOffset.UTC);
                    d.leaseUntil = null;
                    d.deliveredAt = null;
                    deliverer.wake();
                    return Uni.createFrom().item(Response.accepted(DeliveryView.of(d)).build());
                });
    }

    private Uni<HubSubscription> own(String id) {
        if (id == null || id.length() > 36) {
            return Uni.createFrom().failure(notFound("There is no subscription " + id + "."));
        }
        String partner = StaffScope.partner(token).staffId();
        return HubSubscription.<HubSubscription>find("id = ?1 and partner = ?2", id, partner).firstResult()
                .onItem().ifNull().failWith(() -> notFound("There is no subscription " + id + "."));
    }

    private static ProblemException notFound(String detail) {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Not found", 404, detail);
    }
}
