package io.unichannel.analytics;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One early-warning threshold (服务质量预警), kept as data: a KPI per some dimensions (region, say)
 * over the live window (the last 15 minutes; the current value for gauges), raised when it crosses
 * {@code raiseAbove} or {@code raiseBelow} on at least {@code minSample} observations, and cleared
 * only once it is back past the clear threshold (hysteresis, so a value hovering at the limit does
 * not flap). {@code notify} (the audience) names who is told: "supervisors" (of the alert's region) and "ops".
 */
public record AlertRule(String id, String kpi, List<String> per, Double raiseAbove, Double clearBelow, Double raiseBelow,
        Double clearAbove, long minSample, String severity, @JsonProperty("notify") List<String> audience) {

    static final Set<String> SEVERITIES = Set.of("critical", "major", "minor");
    static final Set<String> AUDIENCES = Set.of("supervisors", "ops");

    public AlertRule {
        per = per == null ? List.of() : List.copyOf(per);
        audience = audience == null ? List.of("ops") : List.copyOf(audience);
    }

    /** Whether a value (with its sample size) is over the raise threshold. */
    public boolean raises(Double value, long sample) {
        if (value == null || sample < minSample) {
            return false;
        }
        return raiseAbove != null ? value > raiseAbove : value < raiseBelow;
    }

    /** Whether a raised alert's value is back on the good side of the clear threshold (or there is nothing to judge). */
    public boolean clears(Double value, long sample) {
        if (value == null || sample < minSample) {
            return true;
        }
        return raiseAbove != null ? value < clearBelow : value > clearAbove;
    }

    public double raiseThreshold() {
        return raiseAbove != null ? raiseAbove : raiseBelow;
    }

    public double clearThreshold() {
        return raiseAbove != null ? clearBelow : clearAbove;
    }

    /** What is wrong with this rule, or null when it is sound. */
    String problem() {
        if (id == null || !id.matches("[a-z0-9-]{1,64}")) {
            return "a rule id is 1-64 lower-case letters, digits and dashes";
        }
        if (Kpi.byId(kpi).isEmpty()) {
            return "rule " + id + ": no KPI " + kpi;
        }
        if (!Dimensions.NAMES.containsAll(per)) {
            return "rule " + id + ": per names dimensions among " + Dimensions.NAMES;
        }
        boolean above = raiseAbove != null && clearBelow != null && raiseBelow == null && clearAbove == null;
        boolean below = raiseBelow != null && clearAbove != null && raiseAbove == null && clearBelow == null;
        if (!above && !below) {
            return "rule " + id + ": give raiseAbove with clearBelow, or raiseBelow with clearAbove";
        }
        if (above && clearBelow > raiseAbove || below && clearAbove < raiseBelow) {
            return "rule " + id + ": the clear threshold must lie on the good side of the raise threshold";
        }
        if (minSample < 0 || !SEVERITIES.contains(severity) || !AUDIENCES.containsAll(audience)) {
            return "rule " + id + ": minSample >= 0, severity one of " + SEVERITIES + ", notify among " + AUDIENCES;
        }
        return null;
    }
}
