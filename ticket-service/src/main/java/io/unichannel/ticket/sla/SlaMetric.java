package io.unichannel.ticket.sla;

import java.util.Optional;

import io.unichannel.ticket.TmfNames;

/** What an SLA clock measures, and what stops it. */
public enum SlaMetric {
    /** The first reply or start of work by a person (never by automation). */
    FIRST_RESPONSE("firstResponse"),
    /** Time since the last update by a person while the ticket is open; starts again after each. */
    PERIODIC_UPDATE("periodicUpdate"),
    /** Until the ticket is resolved; a reopen continues it. */
    RESOLUTION("resolution"),
    /** Until the customer is told the outcome (the ticket is resolved); counted like resolution. */
    FEEDBACK("feedback");

    private final String wireName;

    SlaMetric(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean stopsOnResolution() {
        return this != FIRST_RESPONSE;
    }

    public static Optional<SlaMetric> fromWireName(String name) {
        return TmfNames.find(values(), SlaMetric::wireName, name);
    }
}
