package io.unichannel.analytics.stream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.unichannel.analytics.AlertRule;
import io.unichannel.analytics.AlertRules;
import io.unichannel.analytics.Contribution;
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
 * Watches each alert rule per its dimensions (key "rule|values"): contributions are summed per
 * minute in "alert-windows" (gauges as a running total), the live value (last 15 minutes) is
 * judged on every contribution and on a wall-clock beat, and crossing a threshold publishes
 * ServiceAlertRaised, coming back past the clear threshold ServiceAlertCleared, on service-alerts.
 * Each watch's state (raised or not, since when) is in "alert-state", so the alert is raised once
 * and cleared once whichever replica holds it.
 */
public class AlertWatch extends ContextualProcessor<String, Contribution, String, String> {

    static final String WINDOWS = "alert-windows";
    static final String STATE = "alert-state";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One watch: a rule for one set of dimension values; raised with this id since then, or quiet. */
    public record Watch(String ruleId, Map<String, String> dimensions, String alertId, Long raisedAt, Double raisedValue,
            Double value, long sampleSize) {
    }

    private final AlertRules rules;
    private final Duration beat;
    private KeyValueStore<String, Sums> windows;
    private KeyValueStore<String, Watch> state;

    AlertWatch(AlertRules rules, Duration beat) {
        this.rules = rules;
        this.beat = beat;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        super.init(context);
        windows = context.getStateStore(WINDOWS);
        state = context.getStateStore(STATE);
        context.schedule(beat, PunctuationType.WALL_CLOCK_TIME, now -> {
            try (var all = state.all()) {
                while (all.hasNext()) {
                    var entry = all.next();
                    judge(entry.key, entry.value, now);
                }
            }
            Instant cutoff = Instant.ofEpochMilli(now).minus(Grain.LIVE_MINUTES + 5, ChronoUnit.MINUTES);
            try (var all = windows.all()) {
                while (all.hasNext()) {
                    String key = all.next().key;
                    String minute = key.substring(key.lastIndexOf('|') + 1);
                    if (!minute.equals("gauge") && Long.parseLong(minute) < cutoff.getEpochSecond()) {
                        windows.delete(key);
                    }
                }
            }
        });
    }

    @Override
    public void process(Record<String, Contribution> record) {
        Contribution c = record.value();
        String watchKey = record.key();
        AlertRule rule = rule(watchKey);
        if (rule == null) {
            return; // a rule since removed from the file
        }
        boolean gauge = Kpi.byId(rule.kpi()).orElseThrow().shape() == Kpi.Shape.GAUGE;
        String windowKey = watchKey + "|" + (gauge ? "gauge"
                : String.format("%012d", Instant.ofEpochMilli(c.at()).truncatedTo(ChronoUnit.MINUTES).getEpochSecond()));
        Sums before = windows.get(windowKey);
        windows.put(windowKey, before == null ? c.sums() : before.plus(c.sums()));
        Watch watch = state.get(watchKey);
        if (watch == null) {
            watch = new Watch(rule.id(), c.dimensions().project(rule.per()), null, null, null, null, 0);
        }
        judge(watchKey, watch, System.currentTimeMillis());
    }

    private void judge(String watchKey, Watch watch, long now) {
        AlertRule rule = rule(watchKey);
        if (rule == null) {
            state.delete(watchKey);
            return;
        }
        Kpi kpi = Kpi.byId(rule.kpi()).orElseThrow();
        Sums live = Sums.ZERO;
        if (kpi.shape() == Kpi.Shape.GAUGE) {
            Sums total = windows.get(watchKey + "|gauge");
            live = total == null ? Sums.ZERO : total;
        } else {
            long current = Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
            long first = current - (Grain.LIVE_MINUTES - 1) * 60L;
            try (var range = windows.range(watchKey + "|" + String.format("%012d", first),
                    watchKey + "|" + String.format("%012d", current))) {
                while (range.hasNext()) {
                    live = live.plus(range.next().value);
                }
            }
        }
        Double value = kpi.value(live);
        long sample = kpi.sampleSize(live);
        Watch next;
        if (watch.alertId() == null && rule.raises(value, sample)) {
            next = new Watch(watch.ruleId(), watch.dimensions(), "AL-" + UUID.randomUUID(), now, value, value, sample);
            publish(watchKey, next, rule, EventTypes.SERVICE_ALERT_RAISED, now);
        } else if (watch.alertId() != null && rule.clears(value, sample)) {
            publish(watchKey, new Watch(watch.ruleId(), watch.dimensions(), watch.alertId(), watch.raisedAt(),
                    watch.raisedValue(), value, sample), rule, EventTypes.SERVICE_ALERT_CLEARED, now);
            next = new Watch(watch.ruleId(), watch.dimensions(), null, null, null, value, sample);
        } else {
            next = new Watch(watch.ruleId(), watch.dimensions(), watch.alertId(), watch.raisedAt(), watch.raisedValue(), value, sample);
        }
        if (!next.equals(watch)) {
            state.put(watchKey, next);
        }
    }

    private void publish(String watchKey, Watch watch, AlertRule rule, String type, long now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alertId", watch.alertId());
        body.put("ruleId", rule.id());
        body.put("rulesVersion", rules.version());
        body.put("kpi", rule.kpi());
        body.put("dimensions", watch.dimensions());
        body.put("window", Kpi.byId(rule.kpi()).orElseThrow().shape() == Kpi.Shape.GAUGE ? "now" : "PT15M");
        if (watch.value() != null) {
            body.put("value", watch.value());
        }
        body.put("sampleSize", watch.sampleSize());
        body.put("severity", rule.severity());
        body.put("notify", rule.audience().stream().map(who -> who.equals("supervisors") && watch.dimensions().get("region") != null
                ? "supervisors:" + watch.dimensions().get("region") : who).toList());
        body.put("raisedAt", Timestamps.rfc3339(Instant.ofEpochMilli(watch.raisedAt()).atOffset(ZoneOffset.UTC)));
        if (type.equals(EventTypes.SERVICE_ALERT_RAISED)) {
            body.put("threshold", rule.raiseThreshold());
            body.put("clearThreshold", rule.clearThreshold());
        } else {
            body.put("threshold", rule.clearThreshold());
            body.put("clearedAt", Timestamps.rfc3339(Instant.ofEpochMilli(now).atOffset(ZoneOffset.UTC)));
        }
        String subject = rule.id() + "/" + String.join("/", watch.dimensions().values());
        try {
            CloudEvent event = CloudEvent.of(Topics.ANALYTICS_SERVICE, type, subject, JSON.writeValueAsString(body));
            context().forward(new Record<>(subject, event.data(), now, CloudEventRecords.headers(event)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Log.infof("%s %s (%s) value %s on %d", type, watch.alertId(), subject, watch.value(), watch.sampleSize());
    }

    private AlertRule rule(String watchKey) {
        String id = watchKey.substring(0, watchKey.indexOf('|'));
        return rules.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }
}
