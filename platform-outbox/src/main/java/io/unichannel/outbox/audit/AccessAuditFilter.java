package io.unichannel.outbox.audit;

import java.lang.reflect.Method;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.AccessAudited;
import io.unichannel.common.security.AuditedCustomer;
import io.unichannel.common.security.Roles;
import io.unichannel.outbox.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every staff use of an {@link AccessAudited} endpoint, whatever its outcome (a refused
 * look at another region's customer is exactly what an auditor wants to see): a row in
 * access_audit and a StaffAccessRecorded event on audit-events, in one transaction. When a read
 * cannot be recorded the answer is withheld (503); a change that already happened keeps its
 * answer and the failure is logged and counted.
 */
@ApplicationScoped
public class AccessAuditFilter {

    public static final String PURPOSE_HEADER = "X-Access-Purpose";
    private static final Set<String> STAFF = Set.of(Roles.AGENT, Roles.SUPERVISOR, Roles.OPS);
    private static final int MAX_CUSTOMERS = 200;

    private final CurrentIdentityAssociation identities;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final String service;

    public AccessAuditFilter(CurrentIdentityAssociation identities, ObjectMapper json, MeterRegistry meters,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.identities = identities;
        this.json = json;
        this.meters = meters;
        this.service = service;
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        AccessAudited audited = method == null ? null : method.getAnnotation(AccessAudited.class);
        if (audited == null || response.getStatus() == 401) {
            return Uni.createFrom().voidItem();
        }
        // The identity is resolved without blocking (this runs on the I/O thread); a token that did
        // not authenticate is nobody, and its 401 is already the answer.
        return identities.getDeferredIdentity().onFailure().recoverWithNull().chain(identity -> {
            if (identity == null || identity.isAnonymous() || identity.getRoles().stream().noneMatch(STAFF::contains)) {
                return Uni.createFrom().voidItem();
            }
            return record(audited, identity, request, response);
        });
    }

    private Uni<Void> record(AccessAudited audited, SecurityIdentity identity, ContainerRequestContext request,
            ContainerResponseContext response) {
        AccessAuditEntry entry = entry(audited, identity, request, response);
        OutboxEvent event;
        try {
            event = OutboxEvent.of(entry.id, "staff-access", entry.staffId, EventTypes.STAFF_ACCESS_RECORDED, entry.at,
                    json.writeValueAsString(payload(entry))).to(Topics.AUDIT_EVENTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.persistAll(entry, event)))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    meters.counter("access_audit_failures_total", "action", entry.action).increment();
                    Log.errorf("Access audit could not be recorded (%s %s by %s): %s", entry.action, entry.operation,
                            entry.staffId, e.toString());
                    if (audited.action() == AccessAudited.Action.READ) {
                        response.setStatus(503);
                        response.getHeaders().putSingle("Content-Type", Problem.MEDIA_TYPE);
                        response.getHeaders().putSingle("Retry-After", "5");
                        response.setEntity(new Problem(ProblemTypes.SERVICE_UNAVAILABLE, "Service unavailable", 503,
                                "The access could not be recorded, so nothing is shown; try again shortly."),
                                null, MediaType.valueOf(Problem.MEDIA_TYPE));
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private AccessAuditEntry entry(AccessAudited audited, SecurityIdentity identity, ContainerRequestContext request,
            ContainerResponseContext response) {
        AccessAuditEntry entry = new AccessAuditEntry();
        entry.id = UUID.randomUUID();
        entry.at = OffsetDateTime.now(ZoneOffset.UTC);
        entry.staffId = identity.getPrincipal().getName();
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            entry.staffId = token.getSubject();
            Object region = token.getClaim("region");
            entry.staffRegion = region == null ? null : clip(region.toString(), 64);
        }
        entry.roles = identity.getRoles().stream().filter(STAFF::contains).sorted().collect(Collectors.joining(","));
        entry.action = audited.action().name().toLowerCase();
        entry.resourceType = audited.resource();
        if (!audited.idParam().isEmpty()) {
            String id = request.getUriInfo().getPathParameters().getFirst(audited.idParam());
            entry.resourceId = id == null ? null : clip(printable(id), 200);
        }
        Set<String> customers = new LinkedHashSet<>();
        if (audited.idIsCustomer() && entry.resourceId != null) {
            customers.add(clip(entry.resourceId, 64));
        }
        collect(response.getEntity(), customers);
        entry.customerIds = customers.isEmpty() ? null : String.join(",", customers);
        String purpose = request.getHeaderString(PURPOSE_HEADER);
        entry.purpose = purpose == null || purpose.isBlank() ? "not given" : clip(printable(purpose), 200);
        entry.operation = clip(printable(request.getMethod() + " " + request.getUriInfo().getPath()), 300);
        entry.outcome = response.getStatus();
        return entry;
    }

    private static void collect(Object entity, Set<String> customers) {
        if (entity instanceof AuditedCustomer one && one.auditedCustomerId() != null && customers.size() < MAX_CUSTOMERS) {
            customers.add(one.auditedCustomerId());
        } else if (entity instanceof Collection<?> many) {
            many.forEach(item -> collect(item, customers));
        }
    }

    private Map<String, Object> payload(AccessAuditEntry entry) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("auditId", entry.id.toString());
        payload.put("at", entry.at.toString());
        payload.put("service", service);
        payload.put("staffId", entry.staffId);
        payload.put("roles", List.of(entry.roles.split(",")));
        if (entry.staffRegion != null) {
            payload.put("staffRegion", entry.staffRegion);
        }
        payload.put("action", entry.action);
        payload.put("resourceType", entry.resourceType);
        if (entry.resourceId != null) {
            payload.put("resourceId", entry.resourceId);
        }
        payload.put("customerIds", entry.customerIds == null ? List.of() : List.of(entry.customerIds.split(",")));
        payload.put("purpose", entry.purpose);
        payload.put("operation", entry.operation);
        payload.put("outcome", entry.outcome);
        return payload;
    }

    private static String printable(String text) {
        return text.codePoints().filter(c -> !Character.isISOControl(c) && !Character.isSurrogate((char) c) || c > 0xFFFF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String clip(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
