package io.unichannel.ticket.repository;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.unichannel.ticket.StaffScope;
import jakarta.enterprise.context.ApplicationScoped;

/** SLA outcomes of the tickets opened in a period, per policy and metric, optionally by one dimension. */
@ApplicationScoped
public class SlaReportRepository {

    /** The dimensions a report can be broken down by, and the column each reads. */
    public static final Map<String, String> DIMENSIONS = Map.of(
            "ticketType", "t.ticket_type", "region", "t.region", "channel", "t.channel",
            "agent", "t.assignee", "priority", "t.priority", "severity", "t.severity");

    public record Row(String policyId, String metric, boolean regulatory, String group, long clocks, long met,
            long breached, long open, Double metPercent, Long meanSeconds, Long p50Seconds, Long p90Seconds, Long p95Seconds) {
    }

    /**
     * Met and breached counts, the mean (the regulator's "mobile fault repair averages at most
     * 24 h" is the mean of mobile-fault-repair-48h) and percentiles of the time used (business or calendar, as each
     * clock counts) over the clocks that stopped; clocks still running count as open.
     */
    public Uni<List<Row>> report(OffsetDateTime from, OffsetDateTime to, String groupBy, StaffScope scope) {
        String group = groupBy == null ? "NULL" : DIMENSIONS.get(groupBy);
        String sql = """
                SELECT c->>'policyId', c->>'metric', coalesce((c->>'regulatory')::boolean, false), %s,
                       count(*),
                       count(*) FILTER (WHERE c->>'state' = 'stopped' AND c->>'outcome' = 'met'),
                       count(*) FILTER (WHERE coalesce((c->>'breached')::boolean, false)),
                       count(*) FILTER (WHERE c->>'state' <> 'stopped'),
                       percentile_disc(0.5) WITHIN GROUP (ORDER BY (c->>'usedMillis')::bigint)
                           FILTER (WHERE c->>'state' = 'stopped' AND c->>'outcome' IN ('met', 'breached')),
                       percentile_disc(0.9) WITHIN GROUP (ORDER BY (c->>'usedMillis')::bigint)
                           FILTER (WHERE c->>'state' = 'stopped' AND c->>'outcome' IN ('met', 'breached')),
                       percentile_disc(0.95) WITHIN GROUP (ORDER BY (c->>'usedMillis')::bigint)
                           FILTER (WHERE c->>'state' = 'stopped' AND c->>'outcome' IN ('met', 'breached')),
                       avg((c->>'usedMillis')::bigint)
                           FILTER (WHERE c->>'state' = 'stopped' AND c->>'outcome' IN ('met', 'breached'))
                FROM trouble_ticket t CROSS JOIN LATERAL jsonb_array_elements(t.sla::jsonb -> 'clocks') c
                WHERE t.creation_date >= :from AND t.creation_date < :to %s
                GROUP BY 1, 2, 3, 4
                ORDER BY 1, 2, 3, 4 NULLS FIRST
                """.formatted(group == null ? "NULL" : group + "::text", scope.everything() ? "" : "AND t.region = :region");
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class).setParameter("from", from).setParameter("to", to);
            if (!scope.everything()) {
                // a supervisor's report covers their region; without one, nothing
                query.setParameter("region", scope.region() == null ? "" : scope.region());
            }
            return query.getResultList();
        })
                .map(rows -> rows.stream().map(SlaReportRepository::row).toList());
    }

    private static Row row(Object[] r) {
        long met = number(r[5]);
        long breached = number(r[6]);
        long decided = met + breached;
        Double metPercent = decided == 0 ? null : Math.round(1000.0 * met / decided) / 10.0;
        return new Row((String) r[0], (String) r[1], Boolean.TRUE.equals(r[2]), (String) r[3], number(r[4]), met,
                breached, number(r[7]), metPercent, seconds(r[11]), seconds(r[8]), seconds(r[9]), seconds(r[10]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Long seconds(Object millis) {
        return millis == null ? null : (millis instanceof BigDecimal d ? d.longValue() : ((Number) millis).longValue()) / 1000;
    }
}
