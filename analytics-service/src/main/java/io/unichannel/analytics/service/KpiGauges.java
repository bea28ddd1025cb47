package io.unichannel.analytics.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.unichannel.analytics.Grain;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.KpiQuery;
import io.unichannel.analytics.KpiRow;
import io.unichannel.analytics.Sums;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Prometheus gauges of the live KPIs (the last 15 minutes; the backlog now), as the sums this
 * replica holds: {@code analytics_kpi_live{kpi, part}} with part numerator, denominator, sum or
 * count. Summed over the replicas, the KPI's formula gives the platform's value, e.g.
 * {@code sum(analytics_kpi_live{kpi="complaintRate",part="numerator"}) / sum(analytics_kpi_live{kpi="complaintRate",part="denominator"})}.
 * One scan of the local store per second serves every gauge.
 */
@Startup
@ApplicationScoped
public class KpiGauges {

    private final KpiStore store;
    private final KafkaStreams streams;
    private volatile Map<String, Sums> latest = Map.of();
    private volatile long readAt;

    public KpiGauges(KpiStore store, KafkaStreams streams, MeterRegistry registry) {
        this.store = store;
        this.streams = streams;
        for (Kpi kpi : Kpi.values()) {
            register(registry, kpi, "numerator", s -> s.numerator());
            register(registry, kpi, "denominator", s -> s.denominator());
            register(registry, kpi, "sum", Sums::sum);
            register(registry, kpi, "count", s -> s.count());
        }
    }

    private void register(MeterRegistry registry, Kpi kpi, String part, ToDoubleFunction<Sums> read) {
        Gauge.builder("analytics.kpi.live", this, g -> g.part(kpi, read)).tag("kpi", kpi.id()).tag("part", part)
                .description("This replica's sums of the live KPI (last 15 minutes; the backlog now)").register(registry);
    }

    private double part(Kpi kpi, ToDoubleFunction<Sums> read) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Double.NaN;
        }
        long now = System.currentTimeMillis();
        if (now - readAt > 1000) {
            Instant to = Instant.ofEpochMilli(now);
            Instant from = to.truncatedTo(ChronoUnit.MINUTES).minus(Grain.LIVE_MINUTES - 1, ChronoUnit.MINUTES);
            List<KpiRow> rows = store.part(new KpiQuery(Arrays.stream(Kpi.values()).map(Kpi::id)
                    .collect(Collectors.toCollection(LinkedHashSet::new)), "live", from, to, Map.of(), List.of()));
            latest = rows.stream().collect(Collectors.toMap(KpiRow::kpi, KpiRow::sums, Sums::plus));
            readAt = now;
        }
        return read.applyAsDouble(latest.getOrDefault(kpi.id(), Sums.ZERO));
    }
}
