package io.unichannel.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A question to the KPI store: which KPIs, at which grain ("live" is the last 15 minutes as one
 * window), over which period, narrowed by dimension values and grouped by some dimensions.
 */
public record KpiQuery(Set<String> kpis, String grain, Instant from, Instant to, Map<String, String> filters,
        List<String> groupBy) {

    /** Whether a stored combination of dimensions passes the filters. */
    public boolean accepts(Dimensions dims) {
        for (var filter : filters.entrySet()) {
            if (!filter.getValue().equals(dims.get(filter.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
