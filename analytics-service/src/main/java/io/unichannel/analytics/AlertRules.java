package io.unichannel.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The versioned set of alert rules (alert-rules.json), checked whole when the service starts. */
public record AlertRules(String version, List<AlertRule> rules) {

    public AlertRules {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** The operator's file when named, else the shipped one; a mistake stops the service with the reason. */
    public static AlertRules load(String file) {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            AlertRules rules;
            if (file == null || file.isBlank()) {
                try (InputStream in = AlertRules.class.getResourceAsStream("/alert-rules.json")) {
                    rules = json.readValue(in, AlertRules.class);
                }
            } else {
                rules = json.readValue(Files.readString(Path.of(file)), AlertRules.class);
            }
            rules.check();
            return rules;
        } catch (IOException e) {
            throw new IllegalStateException("Alert rules " + (file == null || file.isBlank() ? "alert-rules.json" : file)
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    void check() {
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("Alert rules need a version");
        }
        Set<String> ids = new HashSet<>();
        for (AlertRule rule : rules) {
            String problem = rule.problem();
            if (problem != null) {
                throw new IllegalStateException("Alert rules " + version + ": " + problem);
            }
            if (!ids.add(rule.id())) {
                throw new IllegalStateException("Alert rules " + version + ": rule " + rule.id() + " appears twice");
            }
        }
    }
}
