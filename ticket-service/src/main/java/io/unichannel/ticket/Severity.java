package io.unichannel.ticket;

import java.util.Optional;

/** Incident grade 1 (critical), 2 (major), 3 (minor), and the priority each starts with. */
public enum Severity {
    CRITICAL("critical", "urgent"),
    MAJOR("major", "high"),
    MINOR("minor", "medium");

    private final String tmfName;
    private final String defaultPriority;

    Severity(String tmfName, String defaultPriority) {
        this.tmfName = tmfName;
        this.defaultPriority = defaultPriority;
    }

    public String tmfName() {
        return tmfName;
    }

    public String defaultPriority() {
        return defaultPriority;
    }

    public static Optional<Severity> fromTmfName(String name) {
        return TmfNames.find(values(), Severity::tmfName, name);
    }
}
