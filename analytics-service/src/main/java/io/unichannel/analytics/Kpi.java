package io.unichannel.analytics;

import java.util.Arrays;
import java.util.Optional;

/**
 * The KPIs, with their versioned definitions (docs/kpis.md says the same in words). Each is kept as
 * sums that add up across dimensions and windows (numerator and denominator, or sum and count), so
 * any roll-up (all regions, a day out of hours) is exact.
 */
public enum Kpi {
    CONNECT_RATE("connectRate", Shape.RATIO, "ratio",
            "Hotline calls that asked for an agent and reached one, over those plus calls abandoned while waiting (IVR-only calls do not count); at the call's end."),
    FIRST_RESPONSE_TIME("firstResponseTime", Shape.AVERAGE, "seconds",
            "Mean seconds from a ticket's creation to its first status change; in the window of that change."),
    RESOLUTION_TIME("resolutionTime", Shape.AVERAGE, "seconds",
            "Mean seconds from creation to resolution, every ticket type; in the window of the resolution."),
    MTTR("mttr", Shape.AVERAGE, "seconds",
            "Mean time to repair: resolutionTime for fault repairs only."),
    COMPLAINT_RATE("complaintRate", Shape.RATIO, "ratio",
            "Complaints opened over all tickets opened; in the window of the opening."),
    REPEAT_COMPLAINT_RATE("repeatComplaintRate", Shape.RATIO, "ratio",
            "Complaints opened by a person who had opened another complaint, on any channel, within the 30 days before, over all complaints opened."),
    SLA_COMPLIANCE("slaCompliance", Shape.RATIO, "ratio",
            "Resolved tickets with no SLA breach before resolution, over resolved tickets; in the window of the resolution."),
    FIRST_CONTACT_RESOLUTION("firstContactResolution", Shape.RATIO, "ratio",
            "Survey answers saying the matter was solved at the first contact, over answers to that question."),
    CSAT("csat", Shape.RATIO, "ratio",
            "Survey answers rating satisfaction 4 or 5 (of 5), over answers rating it."),
    NPS("nps", Shape.BALANCE, "score",
            "Promoters (9-10) minus detractors (0-6), as a share of answers to the recommendation question, times 100."),
    BACKLOG("backlog", Shape.GAUGE, "tickets",
            "Tickets open now (opened and not yet resolved, closed or cancelled); no window.");

    /** The version of these definitions: bumped whenever one changes meaning. */
    public static final String DEFINITIONS_VERSION = "2026.11-1";

    /** How a KPI's sums become its value. */
    public enum Shape {
        /** numerator / denominator */
        RATIO,
        /** sum / count */
        AVERAGE,
        /** sum / count * 100, the sum being +1 per promoter and -1 per detractor */
        BALANCE,
        /** the sum itself */
        GAUGE
    }

    private final String id;
    private final Shape shape;
    private final String unit;
    private final String definition;

    Kpi(String id, Shape shape, String unit, String definition) {
        this.id = id;
        this.shape = shape;
        this.unit = unit;
        this.definition = definition;
    }

    public String id() {
        return id;
    }

    public Shape shape() {
        return shape;
    }

    public String unit() {
        return unit;
    }

    public String definition() {
        return definition;
    }

    public static Optional<Kpi> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** The value of these sums, or null when there is nothing to divide by. */
    public Double value(Sums sums) {
        return switch (shape) {
            case RATIO -> sums.denominator() == 0 ? null : (double) sums.numerator() / sums.denominator();
            case AVERAGE -> sums.count() == 0 ? null : sums.sum() / sums.count();
            case BALANCE -> sums.count() == 0 ? null : sums.sum() * 100.0 / sums.count();
            case GAUGE -> sums.sum();
        };
    }

    /** How many observations a value stands on. */
    public long sampleSize(Sums sums) {
        return shape == Shape.RATIO ? sums.denominator() : sums.count();
    }
}
