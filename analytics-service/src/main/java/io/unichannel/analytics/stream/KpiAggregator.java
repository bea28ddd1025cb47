package io.unichannel.analytics.stream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.analytics.Contribution;
import io.unichannel.analytics.Dimensions;
import io.unichannel.analytics.Grain;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.Sums;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each contribution to its windows (minute, hour, day, month; "now" for gauges) in the
 * "kpi-buckets" store, marks them changed, and on a wall-clock beat publishes every changed window
 * as a KpiSnapshot on kpi-snapshots for BI. Windows past their grain's retention are dropped.
 */
class KpiAggregator extends ContextualProcessor<String, Contribution, String, String> {

    static final String STORE = "kpi-buckets";
    static final String CHANGED = "kpi-changed";
    private static final List<Grain> WINDOWED = List.of(Grain.MINUTE, Grain.HOUR, Grain.DAY, Grain.MONTH);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneId zone;
    private final Duration beat;
    private KeyValueStore<String, Sums> buckets;
    private KeyValueStore<String, Long> changed;

    KpiAggregator(ZoneId zone, Duration beat) {
        this.zone = zone;
        this.beat = beat;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        super.init(context);
        buckets = context.getStateStore(STORE);
        changed = context.getStateStore(CHANGED);
        context.schedule(beat, PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::dropExpired);
    }

    @Override
    public void process(Record<String, Contribution> record) {
        Contribution c = record.value();
        Instant at = Instant.ofEpochMilli(c.at());
        List<Grain> grains = Kpi.byId(c.kpi()).map(k -> k.shape() == Kpi.Shape.GAUGE).orElse(false) ? List.of(Grain.NOW) : WINDOWED;
        for (Grain grain : grains) {
            String key = grain.key(grain.start(at, zone), record.key());
            Sums before = buckets.get(key);
            buckets.put(key, before == null ? c.sums() : before.plus(c.sums()));
            changed.put(key, c.at());
        }
    }

    private void publishChanged(long now) {
        String computedAt = Timestamps.rfc3339(Instant.ofEpochMilli(now).atOffset(java.time.ZoneOffset.UTC));
        try (var all = changed.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                changed.delete(key);
                Sums sums = buckets.get(key);
                Map<String, Object> snapshot = snapshot(key, sums, computedAt);
                if (snapshot == null) {
                    continue;
                }
                String[] parts = key.split("\\|", 4);
                String subject = parts[2] + "|" + snapshot.get("grain") + "|" + parts[1] + "|" + parts[3];
                try {
                    CloudEvent event = CloudEvent.of(Topics.ANALYTICS_SERVICE, EventTypes.KPI_SNAPSHOT, subject,
                            JSON.writeValueAsString(snapshot));
                    context().forward(new Record<>(subject, event.data(), now, CloudEventRecords.headers(event)));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** A window's KpiSnapshot, or null when there is no value to report (nothing to divide by). */
    Map<String, Object> snapshot(String key, Sums sums, String computedAt) {
        String[] parts = key.split("\\|", 5);
        Grain grain = Grain.byKey(key);
        Kpi kpi = Kpi.byId(parts[2]).orElse(null);
        if (kpi == null || sums == null) {
            return null;
        }
        Double value = kpi.value(sums);
        if (value == null) {
            return null;
        }
        Dimensions dims = Dimensions.fromKey(parts[3]);
        Map<String, Object> dimensions = new LinkedHashMap<>();
        for (String name : Dimensions.NAMES) {
            if (!Dimensions.NONE.equals(dims.get(name))) {
                dimensions.put(name, dims.get(name));
            }
        }
        Instant start = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("kpi", kpi.id());
        snapshot.put("grain", grain.id());
        snapshot.put("dimensions", dimensions);
        snapshot.put("windowStart", grain == Grain.NOW ? computedAt : Timestamps.rfc3339(start.atOffset(java.time.ZoneOffset.UTC)));
        snapshot.put("windowEnd", grain == Grain.NOW ? computedAt
                : Timestamps.rfc3339(grain.next(start, zone).atOffset(java.time.ZoneOffset.UTC)));
        snapshot.put("value", value);
        snapshot.put("unit", kpi.unit());
        snapshot.put("sampleSize", kpi.sampleSize(sums));
        snapshot.put("definitionsVersion", Kpi.DEFINITIONS_VERSION);
        snapshot.put("computedAt", computedAt);
        return snapshot;
    }

    private void dropExpired(long now) {
        for (Grain grain : WINDOWED) {
            Instant cutoff = Instant.ofEpochMilli(now).minus(grain.retention());
            try (var old = buckets.range(grain.prefix(Instant.EPOCH), grain.prefix(cutoff))) {
                while (old.hasNext()) {
                    buckets.delete(old.next().key);
                }
            }
        }
    }
}
