package io.unichannel.analytics;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One answer row: a KPI over one window for one group of dimension values, with the sums it rests
 * on (a replica answers a peer with rows whose value is left out; the sums add up across replicas).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KpiRow(String kpi, String windowStart, String windowEnd, Map<String, String> dimensions, Double value,
        String unit, Long sampleSize, long numerator, long denominator, double sum, long count) {

    public Sums sums() {
        return new Sums(numerator, denominator, sum, count);
    }

    public static KpiRow of(Kpi kpi, String windowStart, String windowEnd, Map<String, String> dimensions, Sums sums) {
        return new KpiRow(kpi.id(), windowStart, windowEnd, dimensions, kpi.value(sums), kpi.unit(), kpi.sampleSize(sums),
                sums.numerator(), sums.denominator(), sums.sum(), sums.count());
    }

    /** The same window and group: rows that add up. */
    public String groupKey() {
        return kpi + "|" + windowStart + "|" + dimensions;
    }
}
