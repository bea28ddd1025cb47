package io.unichannel.ticket.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.sla.SlaPolicySet.Action;
import io.unichannel.ticket.sla.SlaPolicySet.Basis;
import io.unichannel.ticket.sla.SlaPolicySet.Policy;
import io.unichannel.ticket.sla.SlaPolicySet.Regulatory;
import io.unichannel.ticket.sla.SlaPolicySet.Stage;
import io.unichannel.ticket.sla.SlaPolicySet.Target;
import io.unichannel.ticket.sla.SlaPolicySet.TicketFacts;

/**
 * The clock rules, as pure functions of the rules in force and the time given: start on
 * acknowledgement; pause while pending (waiting on the customer) but not while held; stop on
 * resolution; a reopen continues; a new priority or grade re-targets keeping the time used; a
 * calendar change moves deadlines keeping the time used. Regulatory clocks run in calendar time
 * and never pause.
 */
public final class SlaEngine {

    /** A stage of a clock's ladder that came due. */
    public record Firing(SlaClock clock, Stage stage, Instant dueAt) {
    }

    private final SlaPolicySet rules;

    public SlaEngine(SlaPolicySet rules) {
        this.rules = Objects.requireNonNull(rules);
    }

    public SlaPolicySet rules() {
        return rules;
    }

    /** The clocks of a ticket acknowledged now: its policy's targets and every matching regulatory clock. */
    public List<SlaClock> start(TicketFacts ticket, Instant now) {
        List<SlaClock> clocks = new ArrayList<>();
        Policy policy = rules.policyFor(ticket);
        BusinessCalendar calendar = rules.calendarFor(policy, ticket.region());
        for (Target target : policy.targets()) {
            clocks.add(newClock(policy, target, calendar, now));
        }
        for (Regulatory legal : rules.regulatoryFor(ticket)) {
            SlaClock clock = new SlaClock();
            clock.metric = legal.metric().wireName();
            clock.policyId = legal.id();
            clock.policyVersion = rules.version();
            clock.regulatory = true;
            clock.time = "calendar";
            clock.target = legal.withinText();
            clock.targetMillis = legal.within().toMillis();
            clock.responsible = legal.responsible();
            begin(clock, now);
            clocks.add(clock);
        }
        return clocks;
    }

    private SlaClock newClock(Policy policy, Target target, BusinessCalendar calendar, Instant now) {
        SlaClock clock = new SlaClock();
        clock.metric = target.metric().wireName();
        setTarget(clock, policy, target, calendar);
        clock.responsible = policy.responsible();
        begin(clock, now);
        return clock;
    }

    private void setTarget(SlaClock clock, Policy policy, Target target, BusinessCalendar calendar) {
        clock.policyId = policy.id();
        clock.policyVersion = rules.version();
        clock.time = target.basis() == Basis.BUSINESS ? "business" : "calendar";
        clock.calendar = target.basis() == Basis.BUSINESS ? calendar.id() : null;
        clock.target = target.withinText();
        clock.targetMillis = targetMillis(target, calendar);
    }

    private void begin(SlaClock clock, Instant now) {
        clock.state = SlaClock.RUNNING;
        clock.startedAt = now;
        clock.runningSince = now;
        clock.usedMillis = 0;
        schedule(clock);
    }

    /**
     * A target's length in its own time. In business time a day ("P3D": three working days) is the
     * calendar's working day, hours are working hours.
     */
    static long targetMillis(Target target, BusinessCalendar calendar) {
        if (target.basis() == Basis.CALENDAR) {
            return target.within().toMillis();
        }
        String text = target.withinText().toUpperCase(Locale.ROOT);
        int t = text.indexOf('T');
        String datePart = t < 0 ? text : text.substring(0, t);
        long days = datePart.contains("D") ? Long.parseLong(datePart.substring(datePart.indexOf('P') + 1, datePart.indexOf('D'))) : 0;
        Duration rest = target.within().minusDays(days);
        return days * calendar.workingDaySeconds() * 1000 + rest.toMillis();
    }

    private BusinessCalendar calendarOf(SlaClock clock) {
        return "calendar".equals(clock.time) ? BusinessCalendar.CONTINUOUS : rules.calendar(clock.calendar);
    }

    /** Time used so far, in the clock's own time. */
    public long usedMillis(SlaClock clock, Instant now) {
        return clock.usedMillis + (clock.running() ? calendarOf(clock).millisBetween(clock.runningSince, now) : 0);
    }

    private void checkpoint(SlaClock clock, Instant now) {
        if (clock.running() && now.isAfter(clock.runningSince)) {
            clock.usedMillis += calendarOf(clock).millisBetween(clock.runningSince, now);
            clock.runningSince = now;
        }
    }

    /** Sets when the target and the next stage fall due, from the time used and the calendar. */
    private void schedule(SlaClock clock) {
        if (!clock.running()) {
            clock.dueAt = null;
            clock.nextStageAt = null;
            return;
        }
        BusinessCalendar calendar = calendarOf(clock);
        clock.calendarVersion = calendar.continuous() ? null : calendar.fingerprint();
        clock.dueAt = calendar.plus(clock.runningSince, clock.targetMillis - clock.usedMillis);
        List<Stage> ladder = rules.ladderFor(clock.regulatory, clock.policyId);
        if (clock.stagesFired >= ladder.size()) {
            clock.nextStageAt = null;
            return;
        }
        long needed = (long) Math.ceil(ladder.get(clock.stagesFired).at() * clock.targetMillis);
        clock.nextStageAt = calendar.plus(clock.runningSince, needed - clock.usedMillis);
    }

    private void pause(SlaClock clock, Instant now) {
        if (clock.running() && !clock.regulatory) {
            checkpoint(clock, now);
            clock.state = SlaClock.PAUSED;
            clock.runningSince = null;
            schedule(clock);
        }
    }

    private void resume(SlaClock clock, Instant now) {
        if (SlaClock.PAUSED.equals(clock.state)) {
            clock.state = SlaClock.RUNNING;
            clock.runningSince = now;
            schedule(clock);
        }
    }

    private void stop(SlaClock clock, Instant now, String outcome) {
        if (clock.stopped()) {
            return;
        }
        checkpoint(clock, now);
        clock.state = SlaClock.STOPPED;
        clock.stoppedAt = now;
        clock.runningSince = null;
        clock.outcome = outcome != null ? outcome : clock.breached ? "breached" : "met";
        schedule(clock);
    }

    /** The outcome of a first-response clock of a ticket settled without a person; a reopen restarts it. */
    public static final String ANSWERED_AUTOMATICALLY = "answeredAutomatically";

    private void reopen(SlaClock clock, Instant now) {
        boolean waitsForPerson = clock.metricKind() == SlaMetric.FIRST_RESPONSE && ANSWERED_AUTOMATICALLY.equals(clock.outcome);
        if (clock.stopped() && (clock.metricKind().stopsOnResolution() || waitsForPerson) && !"retired".equals(clock.outcome)) {
            clock.state = SlaClock.RUNNING;
            clock.runningSince = now;
            clock.stoppedAt = null;
            clock.outcome = null;
            schedule(clock);
        }
    }

    /** A person answered or worked on the ticket: the first response is given, the update cycle starts again. */
    public void onPersonUpdate(List<SlaClock> clocks, Instant now) {
        for (SlaClock clock : clocks) {
            switch (clock.metricKind()) {
                case FIRST_RESPONSE -> stop(clock, now, null);
                case PERIODIC_UPDATE -> {
                    if (!clock.stopped()) {
                        clock.usedMillis = 0;
                        clock.stagesFired = 0;
                        if (clock.running()) {
                            clock.runningSince = now;
                        }
                        schedule(clock);
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * A status change. {@code byPerson} is false for automation, which never counts as a response.
     */
    public void onStatusChange(List<SlaClock> clocks, TicketStatus from, TicketStatus to, boolean byPerson, Instant now) {
        if (to.isFinal()) {
            String outcome = to == TicketStatus.CLOSED ? null : to.tmfName(); // cancelled or rejected
            clocks.forEach(c -> stop(c, now, outcome));
            return;
        }
        if (from == TicketStatus.RESOLVED) {
            clocks.forEach(c -> reopen(c, now));
        }
        if (to == TicketStatus.RESOLVED) {
            clocks.stream().filter(c -> c.metricKind().stopsOnResolution()).forEach(c -> stop(c, now, null));
            if (!byPerson) {
                // Settled without a person (the rules answered, the outage was fixed): no one owes a
                // first response unless the customer reopens it.
                clocks.stream().filter(c -> c.metricKind() == SlaMetric.FIRST_RESPONSE)
                        .forEach(c -> stop(c, now, ANSWERED_AUTOMATICALLY));
            }
        }
        if (byPerson && (to == TicketStatus.IN_PROGRESS || to == TicketStatus.PENDING || to == TicketStatus.RESOLVED)) {
            onPersonUpdate(clocks, now);
        }
        if (to == TicketStatus.PENDING) {
            clocks.forEach(c -> pause(c, now));
        } else if (from == TicketStatus.PENDING) {
            clocks.forEach(c -> resume(c, now));
        }
    }

    /**
     * The ticket's priority or grade changed: its policy is chosen again and each clock takes the
     * new target, keeping the time used. Warnings already passed under the new target are not
     * sent late; a breach or escalation that is now due fires at once.
     */
    public void retarget(List<SlaClock> clocks, TicketFacts ticket, Instant now) {
        Policy policy = rules.policyFor(ticket);
        BusinessCalendar calendar = rules.calendarFor(policy, ticket.region());
        List<SlaMetric> present = new ArrayList<>();
        for (SlaClock clock : clocks) {
            if (clock.regulatory || "retired".equals(clock.outcome)) {
                continue;
            }
            Optional<Target> target = policy.targets().stream().filter(t -> t.metric() == clock.metricKind()).findFirst();
            if (target.isEmpty()) {
                stop(clock, now, "retired");
                continue;
            }
            present.add(clock.metricKind());
            checkpoint(clock, now);
            setTarget(clock, policy, target.get(), calendar);
            clock.responsible = policy.responsible();
            List<Stage> ladder = rules.ladderFor(false, clock.policyId);
            while (clock.stagesFired < ladder.size() && ladder.get(clock.stagesFired).action() == Action.WARN
                    && usedMillis(clock, now) >= ladder.get(clock.stagesFired).at() * clock.targetMillis) {
                clock.stagesFired++;
            }
            schedule(clock);
        }
        for (Target target : policy.targets()) {
            if (!present.contains(target.metric()) && !alreadyStopped(clocks, target.metric())) {
                clocks.add(newClock(policy, target, calendar, now));
            }
        }
    }

    private static boolean alreadyStopped(List<SlaClock> clocks, SlaMetric metric) {
        return clocks.stream().anyMatch(c -> !c.regulatory && c.metricKind() == metric && c.stopped() && !"retired".equals(c.outcome));
    }

    /**
     * The calendars changed (the rules were reloaded): the time each business clock used so far
     * is counted with the calendar it ran on, and its deadlines are set again with the new one.
     *
     * @return whether any clock moved
     */
    public boolean recalendar(List<SlaClock> clocks, SlaPolicySet previous, Instant now) {
        SlaEngine before = new SlaEngine(previous);
        boolean moved = false;
        for (SlaClock clock : clocks) {
            // A clock already set with the new calendar (by another replica, or before) is not moved twice.
            if (!"business".equals(clock.time) || clock.stopped()
                    || Objects.equals(clock.calendarVersion, rules.calendar(clock.calendar).fingerprint())
                    || Objects.equals(previous.calendar(clock.calendar), rules.calendar(clock.calendar))) {
                continue;
            }
            before.checkpoint(clock, now);
            schedule(clock);
            moved = true;
        }
        return moved;
    }

    /** Stages that came due by {@code now}, oldest first per clock; each is marked fired. */
    public List<Firing> due(List<SlaClock> clocks, Instant now) {
        List<Firing> firings = new ArrayList<>();
        for (SlaClock clock : clocks) {
            List<Stage> ladder = rules.ladderFor(clock.regulatory, clock.policyId);
            while (clock.running() && clock.nextStageAt != null && !clock.nextStageAt.isAfter(now)
                    && clock.stagesFired < ladder.size()) {
                Stage stage = ladder.get(clock.stagesFired);
                firings.add(new Firing(clock, stage, clock.nextStageAt));
                if (stage.action() == Action.BREACH) {
                    clock.breached = true;
                    clock.breachedAt = clock.nextStageAt;
                }
                clock.stagesFired++;
                schedule(clock);
            }
        }
        return firings;
    }

    /** When the next stage of any clock falls due; null when nothing is left to fire. */
    public static Instant nextStageAt(List<SlaClock> clocks) {
        return clocks.stream().map(c -> c.nextStageAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /**
     * The promise to the customer: when the resolution clock reaches its target. Empty while it is
     * paused (waiting on the customer); the previous promise stands once it stopped.
     */
    public static Optional<Optional<Instant>> expectedBy(List<SlaClock> clocks) {
        return clocks.stream().filter(c -> !c.regulatory && c.metricKind() == SlaMetric.RESOLUTION).findFirst()
                .filter(c -> !c.stopped()).map(c -> Optional.ofNullable(c.dueAt));
    }
}
