package io.unichannel.analytics.service;

import java.util.Optional;

import io.unichannel.analytics.AlertRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Provides the alert rules: the operator's file (ANALYTICS_ALERT_RULES_FILE) or the shipped alert-rules.json. */
@ApplicationScoped
public class AlertRulesSource {

    @Produces
    @Singleton
    AlertRules rules(@ConfigProperty(name = "analytics.alert-rules-file") Optional<String> file) {
        return AlertRules.load(file.orElse(null));
    }
}
