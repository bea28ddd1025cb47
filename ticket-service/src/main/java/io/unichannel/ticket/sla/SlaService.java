package io.unichannel.ticket.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.unichannel.common.timing.DueWork;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.TroubleTicket;
import io.unichannel.ticket.mapping.SlaClockView;
import io.unichannel.ticket.mapping.SlaStageView;
import io.unichannel.ticket.service.TicketEvents;
import io.unichannel.ticket.sla.SlaEngine.Firing;
import io.unichannel.ticket.sla.SlaPolicySet.Action;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps every ticket's SLA clocks: starts them when a ticket is opened, moves them with each
 * change in the same transaction, and fires due warnings, breaches and escalations. Firing claims
 * due tickets with SKIP LOCKED, so with any number of replicas each stage fires once.
 */
@ApplicationScoped
public class SlaService {

    private static final List<String> PRIORITIES = List.of("low", "medium", "high", "urgent");

    private final SlaRules rules;
    private final TicketEvents events;
    private final Timer firingLag;
    private final MeterRegistry metrics;
    /** When the SLA timer next has a stage to fire; every stage this replica sets wakes it. */
    private final DueWork due;

    public SlaService(SlaRules rules, TicketEvents events, MeterRegistry metrics,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "ticket.sla.safety-look", defaultValue = "30s")
            Duration safetyLook) {
        this.due = new DueWork(safetyLook);
        this.rules = rules;
        this.events = events;
        this.metrics = metrics;
        this.firingLag = Timer.builder("ticket.sla.firing.lag").description("From a stage's due time to its event")
                .publishPercentiles(0.5, 0.99).register(metrics);
        // Every stage series exists from start-up at zero: an alert sees breaches rise from zero.
        for (Action action : Action.values()) {
            for (SlaMetric metric : SlaMetric.values()) {
                metrics.counter("ticket.sla.stages.fired", "action", wireName(action), "metric", metric.wireName());
            }
        }
    }

    /** Starts a new ticket's clocks; returns them as the create event shows them. */
    public List<SlaClockView> open(TroubleTicket ticket) {
        SlaEngine engine = rules.engine();
        Instant now = ticket.creationDate.toInstant();
        ticket.sla = new SlaClocks(new ArrayList<>(engine.start(ticket.slaFacts(), now)));
        settle(ticket);
        return views(ticket.sla.clocks(), engine, now);
    }

    /** What a ticket's clocks looked like before a change, to tell which ones the change moved. */
    public record Before(TicketStatus status, String priority, String severity, Map<String, String> clocks) {
    }

    public Before before(TroubleTicket ticket) {
        return new Before(ticket.currentStatus(), ticket.priority, ticket.severity, fingerprints(ticket.sla.clocks()));
    }

    /**
     * Moves the clocks after a change: pauses, resumes, stops, restarts the update cycle, re-targets
     * on a new priority or grade. Only a person's answer (a note, taking the ticket up, asking the
     * customer, resolving it) is a response: it stops the first-response clock, restarts the update
     * cycle and sets the ticket's {@code firstResponseDate} once. Automation's changes never do.
     * Adds {@code expectedResolutionDate} to the changed attributes when the promise to the customer
     * moved.
     *
     * @param byPerson whether a person made the change (staff at the desk or through the API)
     * @return the clocks the change moved
     */
    public List<SlaClockView> afterChange(TroubleTicket ticket, Before before, List<String> changed, OffsetDateTime at,
            boolean byPerson) {
        SlaEngine engine = rules.engine();
        Instant now = at.toInstant();
        List<SlaClock> clocks = ticket.sla.clocks();
        TicketStatus to = ticket.currentStatus();
        boolean statusChanged = changed.contains("status");
        if (statusChanged) {
            engine.onStatusChange(clocks, before.status(), to, byPerson, now);
        }
        if (byPerson && changed.contains("note")) {
            engine.onPersonUpdate(clocks, now);
        }
        boolean answered = changed.contains("note")
                || statusChanged && (to == TicketStatus.IN_PROGRESS || to == TicketStatus.PENDING || to == TicketStatus.RESOLVED);
        if (byPerson && answered && ticket.firstResponseDate == null) {
            ticket.firstResponseDate = at;
        }
        if (!Objects.equals(before.priority(), ticket.priority) || !Objects.equals(before.severity(), ticket.severity)
                || changed.contains("troubleTicketCharacteristic")) {
            engine.retarget(clocks, ticket.slaFacts(), now);
        }
        OffsetDateTime promised = ticket.expectedResolutionDate;
        settle(ticket);
        if (!Objects.equals(promised, ticket.expectedResolutionDate)) {
            changed.add("expectedResolutionDate");
        }
        Map<String, String> after = fingerprints(clocks);
        List<SlaClock> moved = clocks.stream().filter(c -> !Objects.equals(before.clocks().get(key(c)), after.get(key(c)))).toList();
        return views(moved, engine, now);
    }

    /** Sets the ticket's next firing time and its promise to the customer from its clocks. */
    private void settle(TroubleTicket ticket) {
        Instant next = SlaEngine.nextStageAt(ticket.sla.clocks());
        ticket.slaNextStageAt = next == null ? null : next.atOffset(ZoneOffset.UTC);
        if (next != null) {
            due.wake(next);
        }
        SlaEngine.expectedBy(ticket.sla.clocks()).ifPresent(due ->
                ticket.expectedResolutionDate = due.map(d -> d.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)).orElse(null));
    }

    /** When the SLA timer next has work. */
    public DueWork due() {
        return due;
    }

    /** When the earliest stage of any open ticket is due, or null when none is. */
    @WithSession
    public Uni<Instant> nextStageAt() {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT min(sla_next_stage_at) FROM trouble_ticket WHERE sla_next_stage_at IS NOT NULL", Object.class)
                .getSingleResultOrNull()).map(SlaService::instant);
    }

    /** A timestamp as the database driver hands it over. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
    }

    /**
     * Fires the stages due by now on up to {@code limit} tickets that no other replica is firing:
     * one event per stage (warning, breach, escalation), the escalation's own change (priority
     * raised, reassigned), and a notification to each person the stage names.
     *
     * @return how many tickets were claimed (fewer than the limit: nothing more is due)
     */
    @WithTransaction
    public Uni<Integer> fireDue(int limit) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM trouble_ticket WHERE sla_next_stage_at <= :now ORDER BY sla_next_stage_at LIMIT :limit "
                        + "FOR UPDATE SKIP LOCKED", TroubleTicket.class)
                .setParameter("now", now).setParameter("limit", limit).getResultList()
                .chain(tickets -> {
                    List<Object> rows = new ArrayList<>();
                    for (TroubleTicket ticket : tickets) {
                        fire(ticket, now, rows);
                    }
                    return session.persistAll(rows.toArray()).replaceWith(tickets.size());
                }));
    }

    private void fire(TroubleTicket ticket, OffsetDateTime now, List<Object> rows) {
        SlaEngine engine = rules.engine();
        List<Firing> firings = engine.due(ticket.sla.clocks(), now.toInstant());
        for (Firing firing : firings) {
            List<String> changed = new ArrayList<>();
            Action action = firing.stage().action();
            if (action == Action.RAISE_PRIORITY) {
                int at = PRIORITIES.indexOf(ticket.priority);
                if (at >= 0 && at < PRIORITIES.size() - 1) {
                    ticket.priority = PRIORITIES.get(at + 1);
                    changed.add("priority");
                }
            } else if (action == Action.REASSIGN && !firing.stage().group().equals(ticket.assignee)) {
                ticket.assignee = firing.stage().group();
                changed.add("relatedParty");
            }
            ticket.lastUpdate = now;
            ticket.sequence++;
            List<String> notified = firing.stage().recipients().stream().map(who -> recipient(who, ticket, firing.clock()))
                    .distinct().toList();
            SlaClockView clock = SlaClockView.of(firing.clock(), engine, now.toInstant());
            SlaStageView stage = new SlaStageView(wireName(action), firing.stage().at(),
                    firing.dueAt().atOffset(ZoneOffset.UTC), clock, notified, firing.stage().group());
            String type = switch (action) {
                case WARN -> EventTypes.TROUBLE_TICKET_SLA_WARNING;
                case BREACH -> EventTypes.TROUBLE_TICKET_SLA_BREACH;
                default -> EventTypes.TROUBLE_TICKET_ESCALATION;
            };
            rows.add(events.ticket(ticket, type, changed, null, stage));
            for (String staff : notified) {
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("ticketId", ticket.id);
                parameters.put("metric", clock.metric());
                parameters.put("policyId", clock.policyId());
                parameters.put("stage", stage.action());
                parameters.put("at", stage.at());
                if (clock.dueAt() != null) {
                    parameters.put("dueAt", clock.dueAt().toString());
                }
                rows.add(events.staffNotification(staff, "sla-" + stage.action(), ticket, parameters, now));
                rows.add(notice(staff, ticket, stage, clock, now));
            }
            if (!notified.isEmpty()) {
                ticket.platformNote("sla", now, describe(stage, clock) + ": told " + String.join(", ", notified) + ".");
            }
            long lag = Duration.between(firing.dueAt(), now.toInstant()).toMillis();
            firingLag.record(Math.max(0, lag), TimeUnit.MILLISECONDS);
            metrics.counter("ticket.sla.stages.fired", "action", stage.action(), "metric", clock.metric()).increment();
        }
        settle(ticket);
    }

    /**
     * Moves the live deadlines of up to {@code limit} tickets after {@code afterId} (by id) to a
     * changed calendar, keeping the time each clock used. A ticket whose promise moved gets an
     * attribute-change event, so the customer sees the new date.
     *
     * @return the last ticket id looked at, empty when none was left
     */
    @WithTransaction
    public Uni<Optional<String>> recalendar(SlaPolicySet previous, String afterId, int limit) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM trouble_ticket WHERE id > :after AND sla_next_stage_at IS NOT NULL ORDER BY id LIMIT :limit "
                        + "FOR UPDATE", TroubleTicket.class)
                .setParameter("after", afterId).setParameter("limit", limit).getResultList()
                .chain(tickets -> {
                    List<Object> rows = new ArrayList<>();
                    SlaEngine engine = rules.engine();
                    for (TroubleTicket ticket : tickets) {
                        if (engine.recalendar(ticket.sla.clocks(), previous, now.toInstant())) {
                            OffsetDateTime promised = ticket.expectedResolutionDate;
                            settle(ticket);
                            if (!Objects.equals(promised, ticket.expectedResolutionDate)) {
                                ticket.lastUpdate = now;
                                ticket.sequence++;
                                rows.add(events.ticket(ticket, EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE,
                                        new ArrayList<>(List.of("expectedResolutionDate"))));
                            }
                        }
                    }
                    Optional<String> last = tickets.isEmpty() ? Optional.empty() : Optional.of(tickets.get(tickets.size() - 1).id);
                    return session.persistAll(rows.toArray()).replaceWith(last);
                }));
    }

    private static StaffNotice notice(String recipient, TroubleTicket ticket, SlaStageView stage, SlaClockView clock,
            OffsetDateTime now) {
        StaffNotice notice = new StaffNotice();
        notice.id = java.util.UUID.randomUUID().toString();
        notice.recipient = recipient;
        notice.region = ticket.region;
        notice.ticketId = ticket.id;
        notice.kind = stage.action();
        notice.metric = clock.metric();
        notice.dueAt = clock.dueAt();
        notice.text = describe(stage, clock) + " on ticket " + ticket.id + (ticket.region == null ? "" : " (" + ticket.region + ")");
        notice.createdAt = now;
        return notice;
    }

    /** "SLA warning: first response at 90 %", as staff read it in a notice and in the ticket's history. */
    private static String describe(SlaStageView stage, SlaClockView clock) {
        String what = switch (stage.action()) {
            case "warn" -> "SLA warning";
            case "breach" -> "SLA breached";
            case "raisePriority" -> "SLA escalation (priority raised)";
            case "reassign" -> "SLA escalation (reassigned to " + stage.group() + ")";
            default -> "SLA escalation (" + stage.action() + ")";
        };
        String metric = "firstResponse".equals(clock.metric()) ? "first response" : clock.metric();
        return what + ": " + metric + " at " + Math.round(stage.at() * 100) + " % of its time";
    }

    /** Who a stage names: the assignee (else the region's supervisors), the supervisors, the responsible person. */
    private static String recipient(String who, TroubleTicket ticket, SlaClock clock) {
        String supervisors = "supervisors:" + (ticket.region == null ? "all" : ticket.region);
        return switch (who) {
            case "assignee" -> ticket.assignee != null ? ticket.assignee : supervisors;
            case "responsible" -> clock.responsible != null ? clock.responsible : supervisors;
            default -> supervisors;
        };
    }

    private static String wireName(Action action) {
        return switch (action) {
            case WARN -> "warn";
            case BREACH -> "breach";
            case RAISE_PRIORITY -> "raisePriority";
            case REASSIGN -> "reassign";
            case PAGE -> "page";
        };
    }

    public static List<SlaClockView> views(List<SlaClock> clocks, SlaEngine engine, Instant now) {
        return clocks.stream().map(c -> SlaClockView.of(c, engine, now)).toList();
    }

    public List<SlaClockView> views(TroubleTicket ticket) {
        return views(ticket.sla.clocks(), rules.engine(), Instant.now());
    }

    private static String key(SlaClock c) {
        return c.policyId + "/" + c.metric + "/" + c.regulatory;
    }

    private static Map<String, String> fingerprints(List<SlaClock> clocks) {
        Map<String, String> map = new LinkedHashMap<>();
        for (SlaClock c : clocks) {
            map.put(key(c), c.state + "|" + c.dueAt + "|" + c.targetMillis + "|" + c.policyId);
        }
        return map;
    }
}
