package io.unichannel.ticket.sla;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One SLA clock of a ticket, as stored with the ticket. Time used is kept as the working time
 * consumed before {@link #runningSince} plus what the calendar counts since; so a pause, a
 * calendar change or a new target keeps the time already used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlaClock {

    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";

    /** firstResponse, periodicUpdate, resolution or feedback. */
    public String metric;
    /** The policy (or regulatory clock) id and the rules version that set the target. */
    public String policyId;
    public String policyVersion;
    public boolean regulatory;
    /** business or calendar. */
    public String time;
    public String calendar;
    /** The fingerprint of the calendar the deadlines were set with (business time only). */
    public String calendarVersion;
    /** The target as written in the policy (e.g. PT4H), and in milliseconds of its time basis. */
    public String target;
    public long targetMillis;
    public String state;
    /** Time used before the current running stretch began. */
    public long usedMillis;
    public Instant runningSince;
    public Instant startedAt;
    public Instant stoppedAt;
    /** When the target is reached if the clock keeps running; null unless running. */
    public Instant dueAt;
    /** When the next stage of the ladder is due; null when none is left or the clock is not running. */
    public Instant nextStageAt;
    /** How many stages of the ladder have fired. */
    public int stagesFired;
    public boolean breached;
    public Instant breachedAt;
    /** met, breached, cancelled or retired, once stopped. */
    public String outcome;
    /** The named person answerable for this clock (incident grades). */
    public String responsible;

    public SlaMetric metricKind() {
        return SlaMetric.fromWireName(metric).orElseThrow();
    }

    public boolean running() {
        return RUNNING.equals(state);
    }

    public boolean stopped() {
        return STOPPED.equals(state);
    }
}
