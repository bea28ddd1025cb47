package io.unichannel.analytics;

import java.util.Map;

/** An alert raised and not yet cleared: its rule, the dimension values it watches, the live value. */
public record ActiveAlert(String alertId, String ruleId, Map<String, String> dimensions, Double value, long sampleSize,
        String raisedAt) {
}
