package io.unichannel.ticket.repository;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.TroubleTicket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Finds and stores work orders. */
@ApplicationScoped
public class TroubleTicketRepository implements PanacheRepositoryBase<TroubleTicket, String> {

    /** A list query (TMF630 filters and sort) within the caller's scope. */
    public record Filter(TicketQuery query, StaffScope scope) {
    }

    /** The request ids among these that already have a ticket. */
    public Uni<Set<UUID>> requestIdsWithTicket(Collection<UUID> requestIds) {
        return getSession().chain(session -> session
                .createSelectionQuery("select t.requestId from TroubleTicket t where t.requestId in :ids", UUID.class)
                .setParameter("ids", requestIds).getResultList())
                .map(ids -> ids.stream().collect(Collectors.toSet()));
    }

    public Uni<TroubleTicket> findForUpdate(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The ticket if it is in the staff member's scope (null otherwise, as if it did not exist). */
    public Uni<TroubleTicket> findInScope(String id, StaffScope scope, boolean forUpdate) {
        Parameters parameters = scopeParameters(scope).and("id", id);
        var query = find("id = :id and " + scope.condition(), parameters);
        return (forUpdate ? query.withLock(LockModeType.PESSIMISTIC_WRITE) : query).firstResult();
    }

    private static Parameters scopeParameters(StaffScope scope) {
        Parameters parameters = new Parameters();
        if (!scope.everything()) {
            parameters.and("scopeStaff", scope.staffId());
            if (scope.region() != null) {
                parameters.and("scopeRegion", scope.region());
            }
        }
        return parameters;
    }

    public Uni<List<TroubleTicket>> list(Filter filter, int offset, int limit) {
        Query query = query(filter);
        Sort sort = filter.query().descending() ? Sort.descending(filter.query().sortField())
                : Sort.ascending(filter.query().sortField());
        return find(query.where, sort.and("id"), query.parameters).range(offset, offset + limit - 1).list();
    }

    public Uni<Long> count(Filter filter) {
        Query query = query(filter);
        return count(query.where, query.parameters);
    }

    private record Query(String where, Parameters parameters) {
    }

    private static Query query(Filter filter) {
        StringBuilder where = new StringBuilder(filter.scope().condition());
        Parameters parameters = scopeParameters(filter.scope());
        int n = 0;
        for (TicketQuery.Condition condition : filter.query().conditions()) {
            String name = "f" + n++;
            if ("in".equals(condition.operator())) {
                where.append(" and ").append(condition.field()).append(" in :").append(name);
                parameters.and(name, condition.values());
            } else {
                where.append(" and ").append(condition.field()).append(' ').append(condition.operator()).append(" :").append(name);
                parameters.and(name, condition.values().get(0));
            }
        }
        return new Query(where.toString(), parameters);
    }
}
