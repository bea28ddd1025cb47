package io.unichannel.identity.customer;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Actor;
import io.unichannel.identity.Blocking;
import io.unichannel.identity.Hashing;
import io.unichannel.identity.keycloak.KeycloakAccounts;
import io.unichannel.identity.keycloak.RealmBlueprint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * The customer registry: registration, channel identity bindings, resolution and merges. Every
 * change is written together with its identity event (outbox). Keycloak holds the customer's
 * credentials: registration creates the Keycloak user first and removes it again if the registry
 * write fails.
 */
@ApplicationScoped
public class CustomerService {

    private final KeycloakAccounts accounts;
    private final IdentityEvents events;
    private final Hashing hashing;

    public CustomerService(KeycloakAccounts accounts, IdentityEvents events, Hashing hashing) {
        this.accounts = accounts;
        this.events = events;
        this.hashing = hashing;
    }

    /** What registration needs; accounts, password and further identities are optional. */
    public record Registration(String name, String msisdn, String valueTier, String region, String preferredChannel,
            String appAccount, String webAccount, String password, String wechatOpenId, String wechatUnionId,
            String idDocumentNumber, String registeredVia) {
    }

    public Uni<Customer> register(Registration r, Actor actor) {
        String id = "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase(Locale.ROOT);
        OffsetDateTime now = now();
        Map<IdentityType, String> identities = new java.util.LinkedHashMap<>();
        identities.put(IdentityType.MSISDN, r.msisdn());
        putIdentity(identities, IdentityType.APP_ACCOUNT, r.appAccount());
        putIdentity(identities, IdentityType.WEB_ACCOUNT, r.webAccount());
        putIdentity(identities, IdentityType.WECHAT_OPEN_ID, r.wechatOpenId());
        putIdentity(identities, IdentityType.WECHAT_UNION_ID, r.wechatUnionId());
        putIdentity(identities, IdentityType.ID_DOCUMENT, r.idDocumentNumber());
        identities.forEach(this::requireValid);
        return Panache.withSession(() -> requireAllUnbound(identities))
                .chain(() -> Blocking.call(() -> createAccount(id, r)))
                .chain(userId -> Panache.withTransaction(() -> {
                    Customer customer = new Customer();
                    customer.id = id;
                    customer.name = r.name();
                    customer.msisdn = r.msisdn();
                    customer.valueTier = r.valueTier() == null ? "standard" : r.valueTier();
                    customer.region = r.region();
                    customer.preferredChannel = r.preferredChannel();
                    customer.registeredVia = r.registeredVia();
                    customer.keycloakUserId = userId;
                    customer.createdAt = now;
                    customer.updatedAt = now;
                    List<Object> rows = new ArrayList<>();
                    rows.add(customer);
                    rows.add(events.registered(customer));
                    identities.forEach((type, value) -> {
                        ChannelIdentity identity = identity(id, type, value, actor, now);
                        rows.add(identity);
                        rows.add(events.bound(identity));
                    });
                    return Panache.getSession().chain(s -> s.persistAll(rows.toArray())).replaceWith(customer);
                }).onFailure().call(e -> Blocking.run(() -> accounts.delete(userId))))
                .onFailure(CustomerService::uniqueViolation).transform(e -> new ProblemException(ProblemTypes.CONFLICT,
                        "Already bound", 409, "One of these channel identities was bound to another customer a moment ago."))
                .invoke(c -> Log.infof("Customer %s registered (%s) by %s", c.id, Masking.msisdn(c.msisdn),
                        actor.auditName()));
    }

    private String createAccount(String customerId, Registration r) {
        Map<String, List<String>> attributes = new HashMap<>();
        attributes.put("customerId", List.of(customerId));
        attributes.put("msisdn", List.of(r.msisdn()));
        attributes.put("valueTier", List.of(r.valueTier() == null ? "standard" : r.valueTier()));
        putAttribute(attributes, "region", r.region());
        putAttribute(attributes, "preferredChannel", r.preferredChannel());
        putAttribute(attributes, "appAccount", r.appAccount());
        putAttribute(attributes, "wechatOpenId", r.wechatOpenId());
        putAttribute(attributes, "wechatUnionId", r.wechatUnionId());
        String[] names = splitName(r.name());
        String userId = accounts.create(new KeycloakAccounts.NewUser(
                r.appAccount() != null ? r.appAccount() : customerId.toLowerCase(Locale.ROOT), r.webAccount(),
                names[0], names[1], r.password(), attributes, List.of(Roles.CUSTOMER)));
        try {
            accounts.linkAssertions(userId, RealmBlueprint.ASSERTION_IDP, customerId);
        } catch (RuntimeException e) {
            accounts.delete(userId);
            throw e;
        }
        return userId;
    }

    /** The customer, following a merge to its survivor; 404 if there is none. */
    public Uni<Customer> current(String customerId) {
        return Panache.withSession(() -> Customer.<Customer>findById(customerId)
                .chain(c -> c != null && c.merged() ? Customer.<Customer>findById(c.mergedInto) : Uni.createFrom().item(c)))
                .onItem().ifNull().failWith(() -> notFound("There is no customer " + customerId + "."));
    }

    public Uni<List<ChannelIdentity>> identities(String customerId) {
        return Panache.withSession(() -> ChannelIdentity.<ChannelIdentity>list("customerId = ?1 order by boundAt", customerId));
    }

    public Uni<List<String>> mergedIds(String survivorId) {
        return Panache.withSession(() -> CustomerMerge.<CustomerMerge>list("survivorId = ?1 order by mergedAt", survivorId))
                .map(list -> list.stream().map(m -> m.mergedId).toList());
    }

    public Uni<List<CustomerMerge>> merges(String customerId) {
        return Panache.withSession(() -> CustomerMerge.<CustomerMerge>list(
                "survivorId = ?1 or mergedId = ?1 order by mergedAt", customerId));
    }

    /** Channel + external id (or a customer id, merged or not) to the customer who answers for it today. */
    public Uni<Customer> resolve(IdentityType type, String externalId) {
        requireValid(type, externalId);
        return Panache.withSession(() -> ChannelIdentity.<ChannelIdentity>find("identityType = ?1 and externalId = ?2",
                type.apiName(), stored(type, externalId)).firstResult())
                .onItem().ifNull().failWith(() -> notFound("No customer has this " + type.apiName() + " bound."))
                .chain(identity -> current(identity.customerId));
    }

    /**
     * The customer record this caller may see: staff and adapters any, a customer only their own
     * (another's answers 404, as if it did not exist).
     */
    public Uni<Customer> accessible(String id, Actor actor) {
        if (!actor.staff() && !actor.adapter() && !actor.customer()) {
            return Uni.createFrom().failure(new ProblemException(ProblemTypes.FORBIDDEN, "Forbidden", 403,
                    "This caller may not do that."));
        }
        Uni<Customer> target = current(id);
        if (actor.adapter()) {
            return target;
        }
        if (actor.staff()) {
            // Another region's customer is as if it did not exist: 404, not 403.
            return target.map(c -> {
                if (!actor.staffMaySee(c.region)) {
                    throw notFound("There is no customer " + id + ".");
                }
                return c;
            });
        }
        return current(actor.customerId()).chain(self -> target.onFailure().recoverWithNull().map(c -> {
            if (c == null || !c.id.equals(self.id)) {
                throw notFound("There is no customer " + id + ".");
            }
            return c;
        }));
    }

    /**
     * Binds a channel identity; the caller's right to bind it (its proof) was checked before.
     *
     * @param reason why the binding is allowed: the proof, or a supervisor's reason (audited)
     */
    public Uni<ChannelIdentity> bind(String customerId, IdentityType type, String externalId, Actor actor, String reason) {
        requireValid(type, externalId);
        String stored = stored(type, externalId);
        return current(customerId).chain(customer -> Panache.withSession(() -> ChannelIdentity.<ChannelIdentity>find(
                "identityType = ?1 and externalId = ?2", type.apiName(), stored).firstResult()).chain(existing -> {
                    if (existing != null && existing.customerId.equals(customer.id)) {
                        return Uni.createFrom().item(existing); // already bound: nothing to do
                    }
                    if (existing != null) {
                        return Uni.createFrom().failure(alreadyBound(type));
                    }
                    Uni<Void> account = switch (type) {
                        case APP_ACCOUNT -> Blocking.run(() -> accounts.update(customer.keycloakUserId,
                                Map.of("appAccount", List.of(externalId)), externalId, null, null));
                        case WEB_ACCOUNT -> Blocking.run(() -> accounts.update(customer.keycloakUserId, Map.of(), null,
                                externalId, null));
                        case WECHAT_OPEN_ID -> Blocking.run(() -> accounts.update(customer.keycloakUserId,
                                Map.of("wechatOpenId", List.of(externalId)), null, null, null));
                        default -> Uni.createFrom().voidItem();
                    };
                    return account.chain(() -> Panache.withTransaction(() -> {
                        OffsetDateTime now = now();
                        Uni<Long> replaced = type.unbindable() ? Uni.createFrom().item(0L)
                                : ChannelIdentity.delete("customerId = ?1 and identityType = ?2", customer.id, type.apiName());
                        ChannelIdentity identity = identity(customer.id, type, externalId, actor, now);
                        return replaced.chain(() -> Panache.getSession()
                                .chain(s -> s.persistAll(identity, events.bound(identity, reason)))).replaceWith(identity);
                    })).onFailure(CustomerService::uniqueViolation).transform(e -> alreadyBound(type));
                }));
    }

    public Uni<Void> unbind(String customerId, UUID identityId, Actor actor) {
        return current(customerId).chain(customer -> Panache.withTransaction(() -> ChannelIdentity.<ChannelIdentity>findById(identityId)
                .chain(identity -> {
                    if (identity == null || !identity.customerId.equals(customer.id)) {
                        return Uni.createFrom().failure(notFound("The customer has no such channel identity."));
                    }
                    IdentityType type = IdentityType.fromApiName(identity.identityType).orElseThrow();
                    if (!type.unbindable() || (type == IdentityType.MSISDN && identity.externalId.equals(customer.msisdn))) {
                        return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT, "Cannot unbind", 409,
                                "The " + type.apiName() + " " + identity.masked
                                        + " is how the customer signs in or is reached; change it instead of unbinding it."));
                    }
                    return identity.delete().chain(() -> Panache.getSession()
                            .chain(s -> s.persist(events.unbound(identity, now(), actor.subject()))));
                })));
    }

    /**
     * Proposes a merge after staff verified both records are one person; nothing changes until a
     * different supervisor approves it.
     */
    public Uni<MergeProposal> proposeMerge(String survivorId, String mergedId, String reason, String verification, Actor actor) {
        if (survivorId.equals(mergedId)) {
            return Uni.createFrom().failure(new ProblemException(ProblemTypes.INVALID_REQUEST, "Nothing to merge", 400,
                    "A customer cannot be merged into itself."));
        }
        return Panache.withTransaction(() -> Customer.<Customer>findById(survivorId).chain(survivor -> Customer.<Customer>findById(mergedId)
                .chain(merged -> {
                    if (survivor == null || merged == null) {
                        return Uni.createFrom().failure(notFound("Both customers must exist."));
                    }
                    if (survivor.merged() || (merged.merged() && !survivorId.equals(merged.mergedInto))) {
                        return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT, "Already merged", 409,
                                "Customer " + (survivor.merged() ? survivorId : mergedId)
                                        + " was already merged into another record."));
                    }
                    MergeProposal proposal = new MergeProposal();
                    proposal.id = UUID.randomUUID();
                    proposal.survivorId = survivorId;
                    proposal.mergedId = mergedId;
                    proposal.reason = reason;
                    proposal.verification = verification;
                    proposal.proposedBy = actor.subject();
                    proposal.proposedByName = actor.auditName();
                    proposal.proposedAt = now();
                    proposal.status = MergeProposal.PENDING;
                    return proposal.persist().replaceWith(proposal);
                })))
                .invoke(p -> Log.infof("Merge of %s into %s proposed by %s (proposal %s)", mergedId, survivorId,
                        actor.auditName(), p.id));
    }

    /** Proposals for customers in the caller's scope (ops: all; supervisors: their region's and unclaimed ones). */
    public Uni<List<MergeProposal>> proposals(String status, Actor actor, int offset, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        io.quarkus.panache.common.Parameters params = new io.quarkus.panache.common.Parameters();
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (!actor.roles().contains(io.unichannel.common.security.Roles.OPS)) {
            query.append(" and survivorId in (select c.id from Customer c where c.region is null or c.region = ''"
                    + " or c.region = :region)");
            params.and("region", actor.region() == null ? "" : actor.region());
        }
        return Panache.withSession(() -> MergeProposal.<MergeProposal>find(query + " order by proposedAt desc", params)
                .range(offset, offset + limit - 1).list());
    }

    /**
     * A supervisor decides on a proposal: approval performs the merge (idempotent for a repeated
     * approval), rejection closes it. The proposer can never decide their own proposal.
     */
    public Uni<Object> decide(UUID proposalId, boolean approve, String note, Actor actor) {
        return Panache.withTransaction(() -> MergeProposal.<MergeProposal>findById(proposalId, LockModeType.PESSIMISTIC_WRITE)
                .chain(proposal -> proposal == null ? Uni.createFrom().<Customer>nullItem()
                        : Customer.<Customer>findById(proposal.survivorId)
                        .map(survivor -> {
                            // A proposal about another region's customer is as if it did not exist.
                            if (survivor == null || !actor.staffMaySee(survivor.region)) {
                                throw new ProblemException(ProblemTypes.NOT_FOUND, "Proposal not found", 404,
                                        "There is no merge proposal " + proposalId + ".");
                            }
                            return survivor;
                        })
                        .chain(survivor -> decideInScope(proposal, approve, note, actor)))
                .onItem().ifNull().failWith(() -> new ProblemException(ProblemTypes.NOT_FOUND, "Proposal not found", 404,
                        "There is no merge proposal " + proposalId + ".")))
                .call(result -> result instanceof CustomerMerge merge ? Customer.<Customer>findById(merge.mergedId)
                        .chain(merged -> Blocking.run(() -> accounts.update(merged.keycloakUserId,
                                Map.of("customerId", List.of(merge.survivorId)), null, null, null)))
                        : Uni.createFrom().voidItem())
                .invoke(result -> Log.infof("Merge proposal %s %s by %s", proposalId, approve ? "approved" : "rejected",
                        actor.auditName()));
    }

    private Uni<Object> decideInScope(MergeProposal proposal, boolean approve, String note, Actor actor) {
        if (proposal.proposedBy.equals(actor.subject())) {
            return Uni.createFrom().failure(new ProblemException(ProblemTypes.FORBIDDEN, "Four eyes", 403,
                    "A merge is approved or rejected by someone other than who proposed it."));
        }
        if (!MergeProposal.PENDING.equals(proposal.status)) {
            if (approve && MergeProposal.APPROVED.equals(proposal.status)) {
                return CustomerMerge.<CustomerMerge>find("mergedId", proposal.mergedId).firstResult().map(m -> (Object) m);
            }
            return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT, "Already decided", 409,
                    "This proposal was already " + proposal.status + "."));
        }
        proposal.status = approve ? MergeProposal.APPROVED : MergeProposal.REJECTED;
        proposal.decidedBy = actor.subject();
        proposal.decidedByName = actor.auditName();
        proposal.decidedAt = now();
        proposal.decisionNote = note;
        if (!approve) {
            return Uni.createFrom().item((Object) proposal);
        }
        return mergeNow(proposal, actor).map(m -> (Object) m);
    }

    /** Performs an approved merge, inside the approval's transaction. */
    private Uni<CustomerMerge> mergeNow(MergeProposal proposal, Actor approver) {
        String survivorId = proposal.survivorId;
        String mergedId = proposal.mergedId;
        String reason = proposal.reason;
        String verification = proposal.verification;
        Actor actor = approver;
        return Customer.<Customer>findById(survivorId, LockModeType.PESSIMISTIC_WRITE)
                .chain(survivor -> Customer.<Customer>findById(mergedId, LockModeType.PESSIMISTIC_WRITE)
                        .chain(merged -> {
                            if (survivor == null || merged == null) {
                                return Uni.createFrom().failure(notFound("Both customers must exist."));
                            }
                            if (survivorId.equals(merged.mergedInto)) {
                                return CustomerMerge.<CustomerMerge>find("mergedId", mergedId).firstResult();
                            }
                            if (survivor.merged() || merged.merged()) {
                                return Uni.createFrom().failure(new ProblemException(ProblemTypes.CONFLICT,
                                        "Already merged", 409, "Customer " + (survivor.merged() ? survivorId : mergedId)
                                                + " was already merged into another record."));
                            }
                            return moveEverything(survivor, merged, reason, verification, actor)
                                    .invoke(merge -> {
                                        merge.proposedBy = proposal.proposedBy;
                                        merge.proposedByName = proposal.proposedByName;
                                    });
                        }))
                .invoke(merge -> Log.infof("Customer %s merged into %s, proposed by %s, approved by %s (%d identities moved)",
                        mergedId, survivorId, proposal.proposedByName, actor.auditName(), merge.movedIdentities));
    }

    private Uni<CustomerMerge> moveEverything(Customer survivor, Customer merged, String reason, String verification,
            Actor actor) {
        OffsetDateTime now = now();
        return ChannelIdentity.<ChannelIdentity>list("customerId", merged.id).chain(moving -> {
            List<Object> rows = new ArrayList<>();
            for (ChannelIdentity identity : moving) {
                rows.add(events.unbound(identity, now, actor.subject()));
                identity.customerId = survivor.id;
                identity.boundBy = actor.subject();
                rows.add(events.bound(identity));
            }
            merged.mergedInto = survivor.id;
            merged.updatedAt = now;
            survivor.updatedAt = now;
            CustomerMerge merge = new CustomerMerge();
            merge.id = UUID.randomUUID();
            merge.survivorId = survivor.id;
            merge.mergedId = merged.id;
            merge.mergedBy = actor.subject();
            merge.mergedByName = actor.auditName();
            merge.reason = reason;
            merge.verification = verification;
            merge.movedIdentities = moving.size();
            merge.mergedAt = now;
            rows.add(merge);
            rows.add(events.merged(merge));
            // Records merged into the merged one earlier now forward straight to the survivor.
            return Customer.update("mergedInto = ?1, updatedAt = ?2 where mergedInto = ?3", survivor.id, now, merged.id)
                    .chain(() -> Panache.getSession().chain(s -> s.persistAll(rows.toArray())))
                    .replaceWith(merge);
        });
    }

    /** Sets the hotline/SMS service password (six digits), kept as a salted hash. */
    public Uni<Void> setServicePassword(String customerId, String servicePassword) {
        return Blocking.call(() -> hashing.password(servicePassword)).chain(hash -> Panache.withTransaction(
                () -> current(customerId).invoke(c -> {
                    c.servicePasswordHash = hash;
                    c.updatedAt = now();
                }))).replaceWithVoid();
    }

    /** The value kept for an external id: ID numbers only as a keyed hash. */
    public String stored(IdentityType type, String externalId) {
        return type == IdentityType.ID_DOCUMENT
                ? hashing.keyed("id-document", externalId.trim().toUpperCase(Locale.ROOT)) : externalId.trim();
    }

    private ChannelIdentity identity(String customerId, IdentityType type, String value, Actor actor, OffsetDateTime now) {
        ChannelIdentity identity = new ChannelIdentity();
        identity.id = UUID.randomUUID();
        identity.customerId = customerId;
        identity.identityType = type.apiName();
        identity.externalId = stored(type, value);
        identity.masked = type.mask(value, identity.externalId);
        identity.boundAt = now;
        identity.boundBy = actor.subject();
        return identity;
    }

    private Uni<Void> requireAllUnbound(Map<IdentityType, String> identities) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<IdentityType, String> entry : identities.entrySet()) {
            chain = chain.chain(() -> ChannelIdentity.count("identityType = ?1 and externalId = ?2",
                    entry.getKey().apiName(), stored(entry.getKey(), entry.getValue())).chain(n -> n > 0
                            ? Uni.createFrom().failure(alreadyBound(entry.getKey())) : Uni.createFrom().voidItem()));
        }
        return chain;
    }

    private void requireValid(IdentityType type, String value) {
        if (!type.valid(value)) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid " + type.apiName(), 400,
                    "The value is not a valid " + type.apiName() + ".");
        }
    }

    private static ProblemException alreadyBound(IdentityType type) {
        return new ProblemException(ProblemTypes.CONFLICT, "Already bound", 409, "This " + type.apiName()
                + " is bound to another customer. If both records are the same person, merge them.");
    }

    /** A concurrent request bound the same identity first: PostgreSQL's unique_violation (23505). */
    private static boolean uniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }

    static ProblemException notFound(String detail) {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Customer not found", 404, detail);
    }

    private static String[] splitName(String name) {
        String trimmed = name.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? new String[] {trimmed, null} : new String[] {trimmed.substring(0, space), trimmed.substring(space + 1)};
    }

    private static void putIdentity(Map<IdentityType, String> identities, IdentityType type, String value) {
        if (value != null && !value.isBlank()) {
            identities.put(type, value);
        }
    }

    private static void putAttribute(Map<String, List<String>> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.put(name, List.of(value));
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
