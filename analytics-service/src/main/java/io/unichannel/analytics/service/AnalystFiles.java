package io.unichannel.analytics.service;

import java.util.Optional;

import io.unichannel.analytics.AlertRules;
import io.unichannel.analytics.PainPointMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Provides the analysts' data files, checked whole at start: the alert rules (ANALYTICS_ALERT_RULES_FILE
 * or the shipped alert-rules.json) and the pain-point map (ANALYTICS_PAIN_POINT_MAP_FILE or the
 * shipped pain-point-map.json).
 */
@ApplicationScoped
public class AnalystFiles {

    @Produces
    @Singleton
    AlertRules rules(@ConfigProperty(name = "analytics.alert-rules-file") Optional<String> file) {
        return AlertRules.load(file.orElse(null));
    }

    @Produces
    @Singleton
    PainPointMap painPointMap(@ConfigProperty(name = "analytics.pain-points.map-file") Optional<String> file) {
        return PainPointMap.load(file.orElse(null));
    }
}
