package io.unichannel.identity.customer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Actor;
import io.unichannel.common.security.AccessAudited;
import io.unichannel.common.security.AuditedCustomer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The customer registry API. Staff and channel adapters work on any customer; a signed-in
 * customer only on themselves. Phone numbers are shown masked except to the customer themself.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Customers", description = "Customer registry: registration, channel identities, resolution, merges")
public class CustomerResource {

    private static final String TIERS = "standard|silver|gold|platinum";
    private static final String CHANNELS = "app|wechat|web|hotline|sms|store";

    private final CustomerService customers;
    private final SecurityIdentity identity;

    private final io.unichannel.common.privacy.SealedSecrets seal;

    public CustomerResource(CustomerService customers, SecurityIdentity identity,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.customers = customers;
        this.identity = identity;
        this.seal = new io.unichannel.common.privacy.SealedSecrets(sealKey);
    }

    public record RegisterRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Pattern(regexp = "^\\+?[0-9]{6,15}$", message = "must be a phone number (digits, optional +)") String msisdn,
            @Pattern(regexp = TIERS) String valueTier,
            @Size(max = 64) String region,
            @Pattern(regexp = CHANNELS) String preferredChannel,
            @Size(max = 64) String appAccount,
            @Size(max = 254) String webAccount,
            @Size(min = 8, max = 128) String password,
            @Size(max = 64) String wechatOpenId,
            @Size(max = 64) String wechatUnionId,
            @Size(max = 32) String idDocumentNumber) {
    }

    /**
     * @param msisdn       the full number, for the customer themselves only
     * @param msisdnSealed the number sealed for the gateway's SMS and hotline adapters (opened only to send)
     */
    public record CustomerView(String id, String name, String msisdnMasked, String msisdn, String valueTier, String region,
            String preferredChannel, String registeredVia, String createdAt, List<String> mergedIds, String msisdnSealed)
            implements AuditedCustomer {
        @Override
        public String auditedCustomerId() {
            return id;
        }
    }

    public record IdentityView(UUID id, String identityType, String externalIdMasked, String boundAt) {
    }

    /** @param reason required when a supervisor binds for a customer; recorded in the audit */
    public record BindRequest(
            @NotBlank @Pattern(regexp = "msisdn|wechatOpenId|wechatUnionId|appAccount|webAccount|idDocument") String identityType,
            @NotBlank @Size(max = 254) String externalId,
            @Size(max = 1000) String reason) {
    }

    public record MergeRequest(
            @NotBlank @Size(max = 64) String mergedCustomerId,
            @NotBlank @Size(max = 1000) String reason,
            @NotBlank @Size(max = 200) String verification) {
    }

    /** A merge as the audit shows it: proposed by one member of staff, approved (mergedBy) by another. */
    public record MergeView(UUID id, String survivorId, String mergedId, String mergedBy, String mergedByName,
            String proposedBy, String proposedByName, String reason, String verification, int movedIdentities,
            String mergedAt) implements AuditedCustomer {
        @Override
        public String auditedCustomerId() {
            return survivorId;
        }

        static MergeView of(CustomerMerge m) {
            return new MergeView(m.id, m.survivorId, m.mergedId, m.mergedBy, m.mergedByName, m.proposedBy,
                    m.proposedByName, m.reason, m.verification, m.movedIdentities, Timestamps.rfc3339(m.mergedAt));
        }
    }

    public record ProposalView(UUID id, String survivorId, String mergedId, String reason, String verification,
            String proposedBy, String proposedByName, String proposedAt, String status, String decidedBy,
            String decidedByName, String decidedAt, String decisionNote) implements AuditedCustomer {
        @Override
        public String auditedCustomerId() {
            return survivorId;
        }

        static ProposalView of(MergeProposal p) {
            return new ProposalView(p.id, p.survivorId, p.mergedId, p.reason, p.verification, p.proposedBy,
                    p.proposedByName, Timestamps.rfc3339(p.proposedAt), p.status, p.decidedBy, p.decidedByName,
                    p.decidedAt == null ? null : Timestamps.rfc3339(p.decidedAt), p.decisionNote);
        }
    }

    public record DecisionRequest(@Size(max = 1000) String note) {
    }

    public record ResolveView(String customerId, String requestedType, boolean viaMerge) implements AuditedCustomer {
        @Override
        public String auditedCustomerId() {
            return customerId;
        }
    }

    public record ServicePasswordRequest(@NotNull @Pattern(regexp = "^[0-9]{6}$", message = "must be six digits") String servicePassword) {
    }

    @POST
    @Path("/customers")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS, Roles.CHANNEL_ADAPTER})
    @Operation(summary = "Register a customer", description = "Creates the customer's Keycloak account (APP account as "
            + "username, web account as e-mail, optional password) and binds the given channel identities.")
    @AccessAudited(resource = "customer", action = AccessAudited.Action.CHANGE)
    public Uni<Response> register(@Valid @NotNull RegisterRequest body) {
        Actor actor = Actor.of(identity);
        String via = actor.channel() != null ? actor.channel() : "store";
        var registration = new CustomerService.Registration(body.name(), body.msisdn(), body.valueTier(), body.region(),
                body.preferredChannel(), body.appAccount(), body.webAccount(), body.password(), body.wechatOpenId(),
                body.wechatUnionId(), body.idDocumentNumber(), via);
        return customers.register(registration, actor).map(c -> Response.status(201)
                .header("Location", "/api/v1/customers/" + c.id).entity(view(c, List.of(), actor)).build());
    }

    @GET
    @Path("/customers/me")
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(summary = "The signed-in customer's own record")
    public Uni<CustomerView> me() {
        Actor actor = Actor.of(identity);
        if (actor.customerId() == null) {
            throw new ProblemException(ProblemTypes.NOT_FOUND, "Customer not found", 404,
                    "This account is not linked to a customer record.");
        }
        return get(actor.customerId());
    }

    @GET
    @Path("/customers/{id}")
    @Operation(summary = "A customer; a merged id answers with the survivor")
    @AccessAudited(resource = "customer", idParam = "id", idIsCustomer = true)
    public Uni<CustomerView> get(@PathParam("id") String id) {
        Actor actor = Actor.of(identity);
        return allowed(id, actor).chain(c -> customers.mergedIds(c.id).map(merged -> view(c, merged, actor)));
    }

    @GET
    @Path("/customers/{id}/identities")
    @Operation(summary = "The customer's bound channel identities (masked)")
    @AccessAudited(resource = "customer-identities", idParam = "id", idIsCustomer = true)
    public Uni<List<IdentityView>> identities(@PathParam("id") String id) {
        return allowed(id, Actor.of(identity)).chain(c -> customers.identities(c.id))
                .map(list -> list.stream().map(CustomerResource::view).toList());
    }

    @POST
    @Path("/customers/{id}/identities")
    @Operation(summary = "Bind a channel identity", description = "Only what the caller can vouch for: a customer their "
            + "own APP or web account (a phone number through /msisdn-proofs, a WeChat id through the WeChat sign-in, an "
            + "ID document at a store counter); the WeChat adapter WeChat ids; an agent an ID document checked at the "
            + "counter; a supervisor anything, with a reason that the audit keeps. Idempotent for the same customer; "
            + "409 when the identity cannot be bound: for a customer the same answer whoever holds it, so it never tells "
            + "whether an account name exists.")
    @AccessAudited(resource = "customer-identities", action = AccessAudited.Action.CHANGE, idParam = "id", idIsCustomer = true)
    public Uni<Response> bind(@PathParam("id") String id, @Valid @NotNull BindRequest body) {
        Actor actor = Actor.of(identity);
        IdentityType type = IdentityType.fromApiName(body.identityType()).orElseThrow();
        // Whose record first (another customer's is a 404), then whether the caller may bind this kind of identity.
        return allowed(id, actor).chain(c -> customers.bind(c.id, type, body.externalId(), actor,
                        bindingAllowed(type, body.reason(), actor)))
                .onFailure(e -> !actor.staff() && e instanceof ProblemException p && p.problem().status() == 409)
                .transform(e -> notAvailable())
                .map(bound -> Response.status(201).entity(view(bound)).build());
    }

    /**
     * What a customer hears when the account name they chose cannot be theirs: the same whether
     * another customer holds it, a staff account or anyone else, so the answer never tells whose it is
     * (staff, who may know, get the reason).
     */
    private static ProblemException notAvailable() {
        return new ProblemException(ProblemTypes.CONFLICT, "Not available", 409, "This account name cannot be used. Choose another.");
    }

    /** Whether this caller may bind this kind of identity, and the reason the audit records; 403 otherwise. */
    private static String bindingAllowed(IdentityType type, String reason, Actor actor) {
        if (actor.roles().contains(Roles.SUPERVISOR)) {
            if (reason == null || reason.isBlank()) {
                throw new ProblemException(new io.unichannel.common.problem.Problem(ProblemTypes.INVALID_REQUEST,
                        "Reason required", 400, "A supervisor binding for a customer gives the reason, which the audit keeps.")
                        .with("errors", List.of(Map.of("field", "reason", "message", "must not be blank"))));
            }
            return reason;
        }
        if (actor.staff()) {
            if (type == IdentityType.ID_DOCUMENT) {
                return "ID document checked at the counter";
            }
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Supervisor required", 403,
                    "Agents bind only ID documents checked at the counter; other bindings need a supervisor and a reason.");
        }
        if (actor.adapter()) {
            if (type == IdentityType.WECHAT_OPEN_ID || type == IdentityType.WECHAT_UNION_ID) {
                return "WeChat sign-in";
            }
            throw forbidden();
        }
        return switch (type) {
            case APP_ACCOUNT, WEB_ACCOUNT -> "the customer's own account name";
            case MSISDN -> throw new ProblemException(ProblemTypes.FORBIDDEN, "Proof required", 403,
                    "A phone number is bound by proving it: POST /api/v1/customers/{id}/msisdn-proofs sends it a code.");
            case WECHAT_OPEN_ID, WECHAT_UNION_ID -> throw new ProblemException(ProblemTypes.FORBIDDEN, "Proof required", 403,
                    "A WeChat id is bound by signing in through the WeChat official account.");
            default -> throw new ProblemException(ProblemTypes.FORBIDDEN, "Proof required", 403,
                    "An ID document is bound at a store counter, where an agent checks it.");
        };
    }

    @DELETE
    @Path("/customers/{id}/identities/{identityId}")
    @Operation(summary = "Unbind a channel identity")
    @AccessAudited(resource = "customer-identities", action = AccessAudited.Action.CHANGE, idParam = "id", idIsCustomer = true)
    public Uni<Response> unbind(@PathParam("id") String id, @PathParam("identityId") UUID identityId) {
        Actor actor = Actor.of(identity);
        if (!actor.staff() && !actor.customer()) {
            throw forbidden();
        }
        return allowed(id, actor).chain(c -> customers.unbind(c.id, identityId, actor)).map(v -> Response.noContent().build());
    }

    @PUT
    @Path("/customers/{id}/service-password")
    @Operation(summary = "Set the hotline/SMS service password (six digits)")
    @AccessAudited(resource = "customer-service-password", action = AccessAudited.Action.CHANGE, idParam = "id", idIsCustomer = true)
    public Uni<Response> servicePassword(@PathParam("id") String id, @Valid @NotNull ServicePasswordRequest body) {
        Actor actor = Actor.of(identity);
        if (!actor.staff() && !actor.customer()) {
            throw forbidden();
        }
        return allowed(id, actor).chain(c -> customers.setServicePassword(c.id, body.servicePassword()))
                .map(v -> Response.noContent().build());
    }

    @POST
    @Path("/customers/{id}/merge-proposals")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "Propose merging another record into this one", description = "After staff verified both records "
            + "are one person. Nothing changes until a different supervisor approves (four eyes).")
    @AccessAudited(resource = "merge-proposal", action = AccessAudited.Action.CHANGE, idParam = "id", idIsCustomer = true)
    public Uni<Response> proposeMerge(@PathParam("id") String id, @Valid @NotNull MergeRequest body) {
        Actor actor = Actor.of(identity);
        // Both records must be in the proposer's scope; either outside is a 404.
        return allowed(id, actor).chain(() -> allowed(body.mergedCustomerId(), actor))
                .chain(() -> customers.proposeMerge(id, body.mergedCustomerId(), body.reason(), body.verification(), actor))
                .map(p -> Response.status(201).header("Location", "/api/v1/merge-proposals/" + p.id)
                        .entity(ProposalView.of(p)).build());
    }

    @GET
    @Path("/merge-proposals")
    @RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "Merge proposals, newest first; status pending, approved or rejected")
    @AccessAudited(resource = "merge-proposal-list")
    public Uni<List<ProposalView>> proposals(@QueryParam("status") @Pattern(regexp = "pending|approved|rejected") String status,
            @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return customers.proposals(status, Actor.of(identity), offset, limit)
                .map(list -> list.stream().map(ProposalView::of).toList());
    }

    @POST
    @Path("/merge-proposals/{proposalId}/approval")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Approve a merge proposal: the merge happens", description = "By a supervisor who did not propose "
            + "it: every channel identity moves to the survivor, the merged id keeps resolving there, and the audit names "
            + "who proposed and who approved, why and on what verification. Repeating an approval is harmless.")
    @AccessAudited(resource = "merge-proposal", action = AccessAudited.Action.CHANGE, idParam = "proposalId")
    public Uni<Response> approve(@PathParam("proposalId") UUID proposalId, @Valid DecisionRequest body) {
        return customers.decide(proposalId, true, body == null ? null : body.note(), Actor.of(identity))
                .map(m -> Response.status(201).entity(MergeView.of((CustomerMerge) m)).build());
    }

    @POST
    @Path("/merge-proposals/{proposalId}/rejection")
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Reject a merge proposal; nothing is merged")
    @AccessAudited(resource = "merge-proposal", action = AccessAudited.Action.CHANGE, idParam = "proposalId")
    public Uni<ProposalView> reject(@PathParam("proposalId") UUID proposalId, @Valid DecisionRequest body) {
        return customers.decide(proposalId, false, body == null ? null : body.note(), Actor.of(identity))
                .map(p -> ProposalView.of((MergeProposal) p));
    }

    @GET
    @Path("/customers/{id}/merges")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "Merge audit: merges into or out of this customer")
    @AccessAudited(resource = "customer-merges", idParam = "id", idIsCustomer = true)
    public Uni<List<MergeView>> merges(@PathParam("id") String id) {
        return allowed(id, Actor.of(identity)).chain(c -> customers.merges(id))
                .map(list -> list.stream().map(MergeView::of).toList());
    }

    @GET
    @Path("/resolve")
    @RolesAllowed({Roles.CHANNEL_ADAPTER, Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "Channel identity to customer", description = "type is customerId, msisdn, wechatOpenId, "
            + "wechatUnionId, appAccount, webAccount or idDocument; merged records resolve to their survivor.")
    @AccessAudited(resource = "customer-resolution")
    public Uni<ResolveView> resolve(@QueryParam("type") String type, @QueryParam("externalId") String externalId) {
        if (externalId == null || externalId.isBlank()) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Missing externalId", 400, "Give the externalId to resolve.");
        }
        Actor actor = Actor.of(identity);
        if ("customerId".equals(type)) {
            return customers.current(externalId).map(c -> new ResolveView(inScope(c, actor).id, type, !c.id.equals(externalId)));
        }
        IdentityType identityType = IdentityType.fromApiName(type).orElseThrow(() -> new ProblemException(
                ProblemTypes.INVALID_REQUEST, "Unknown identity type", 400, "type must be customerId, msisdn, wechatOpenId, "
                        + "wechatUnionId, appAccount, webAccount or idDocument."));
        return customers.resolve(identityType, externalId).map(c -> new ResolveView(inScope(c, actor).id, type, false));
    }

    /** The customer (after merges) if the caller may see it: staff and adapters always, customers only themselves. */
    /** Staff resolve only customers in their scope; another region's answers as if nobody had the identity. */
    private static Customer inScope(Customer c, Actor actor) {
        if (!actor.adapter() && !actor.staffMaySee(c.region)) {
            throw new ProblemException(ProblemTypes.NOT_FOUND, "Not found", 404, "No customer in your scope has this identity.");
        }
        return c;
    }

    private Uni<Customer> allowed(String id, Actor actor) {
        return customers.accessible(id, actor);
    }

    private CustomerView view(Customer c, List<String> mergedIds, Actor actor) {
        boolean self = actor.customer() && !actor.staff();
        boolean texts = actor.adapter() && (io.unichannel.common.security.Channels.SMS.equals(actor.channel())
                || io.unichannel.common.security.Channels.HOTLINE.equals(actor.channel()));
        return new CustomerView(c.id, c.name, Masking.msisdn(c.msisdn), self ? c.msisdn : null, c.valueTier, c.region,
                c.preferredChannel, c.registeredVia, Timestamps.rfc3339(c.createdAt), mergedIds,
                texts && c.msisdn != null ? seal.seal(c.msisdn) : null);
    }

    private static IdentityView view(ChannelIdentity i) {
        return new IdentityView(i.id, i.identityType, i.masked, Timestamps.rfc3339(i.boundAt));
    }

    private static ProblemException forbidden() {
        return new ProblemException(ProblemTypes.FORBIDDEN, "Forbidden", 403, "This caller may not do that.");
    }

}
