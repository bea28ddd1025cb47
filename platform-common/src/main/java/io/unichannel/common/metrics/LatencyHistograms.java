package io.unichannel.common.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Request latency as Prometheus histograms (fixed buckets, aggregatable across replicas), so the
 * dashboards and alerts can take p50/p99 per service and route: {@code http_server_requests_seconds_bucket}.
 */
@Singleton
public class LatencyHistograms {

    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    @Produces
    @Singleton
    public MeterFilter httpServerBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("http.server.requests")) {
                    return DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(java.util.Arrays.stream(BUCKETS).mapToDouble(d -> d.toNanos()).toArray())
                            .build().merge(config);
                }
                return config;
            }
        };
    }
}
