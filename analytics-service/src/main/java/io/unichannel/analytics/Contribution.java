package io.unichannel.analytics;

/**
 * One event's part in one KPI: for these dimensions, at this instant (the business time the event
 * reports, so a replay lands in the same windows), add these sums. The unit the topology moves
 * from the readers of each topic to the aggregates.
 */
public record Contribution(String kpi, Dimensions dimensions, long at, Sums sums) {

    /** The key contributions are partitioned by: one KPI, one combination of dimensions. */
    public String key() {
        return kpi + "|" + dimensions.key();
    }
}
