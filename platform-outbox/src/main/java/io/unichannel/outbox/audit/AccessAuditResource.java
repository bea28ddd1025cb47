package io.unichannel.outbox.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.common.validation.CleanText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The access audit of this service, for ops: who looked at or changed whose data, newest first, paged. */
@Path("/api/v1/access-audit")
@RolesAllowed(Roles.OPS)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access audit", description = "Staff reads and changes of personal data and tickets")
public class AccessAuditResource {

    public record EntryView(String id, OffsetDateTime at, String staffId, String roles, String staffRegion, String action,
            String resourceType, String resourceId, List<String> customerIds, String purpose, String operation, int outcome) {

        static EntryView of(AccessAuditEntry e) {
            return new EntryView(e.id.toString(), e.at, e.staffId, e.roles, e.staffRegion, e.action, e.resourceType,
                    e.resourceId, e.customerIds == null ? List.of() : List.of(e.customerIds.split(",")), e.purpose,
                    e.operation, e.outcome);
        }
    }

    @GET
    @Operation(summary = "Audit entries matching every filter given, newest first; X-Total-Count tells how many match")
    public Uni<Response> search(@QueryParam("staffId") @CleanText(max = 64) String staffId,
            @QueryParam("customerId") @Pattern(regexp = "[^,]*") @CleanText(max = 64) String customerId,
            @QueryParam("resourceType") @CleanText(max = 64) String resourceType,
            @QueryParam("resourceId") @CleanText(max = 200) String resourceId,
            @QueryParam("since") @Size(max = 40) String since, @QueryParam("until") @Size(max = 40) String until,
            @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        add(where, params, "staffId", staffId, "e.staffId = :staffId");
        add(where, params, "resourceType", resourceType, "e.resourceType = :resourceType");
        add(where, params, "resourceId", resourceId, "e.resourceId = :resourceId");
        add(where, params, "customerId", customerId == null ? null : "%," + customerId + ",%",
                "concat(',', e.customerIds, ',') like :customerId");
        add(where, params, "since", time("since", since), "e.at >= :since");
        add(where, params, "until", time("until", until), "e.at < :until");
        String filter = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        return Panache.withSession(() -> Panache.getSession().chain(s -> {
            var count = s.createSelectionQuery("select count(e) from AccessAuditEntry e" + filter, Long.class);
            var page = s.createSelectionQuery("from AccessAuditEntry e" + filter + " order by e.at desc, e.id",
                    AccessAuditEntry.class).setFirstResult(offset).setMaxResults(limit);
            params.forEach((name, value) -> {
                count.setParameter(name, value);
                page.setParameter(name, value);
            });
            return count.getSingleResult().chain(total -> page.getResultList().map(rows -> Response
                    .ok(rows.stream().map(EntryView::of).toList()).header("X-Total-Count", total).build()));
        }));
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400,
                    name + " must be an RFC 3339 date-time, e.g. 2026-11-30T08:00:00Z");
        }
    }

    private static void add(List<String> where, Map<String, Object> params, String name, Object value, String clause) {
        if (value != null && !(value instanceof String text && text.isEmpty())) {
            where.add(clause);
            params.put(name, value);
        }
    }
}
