package io.unichannel.ticket.automation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.ticket.TicketChange;
import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.service.TicketService;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Works the automation tasks: gathers what the rules need from the BSS, lets the rule set decide,
 * records the decision with its inputs and the rule set's version, and carries it out. A package
 * change the rules allow is recorded as decided on its task first, then made in the BSS with the
 * ticket as the reference, and the ticket resolved; a retry carries the recorded decision out again
 * and never decides anew; a refused one is resolved with
 * the reasons and the packages the same rules would allow; a bill question with a known answer is
 * answered from the customer's own bill. Anything else, and every decision of a rule set in shadow
 * mode, goes to a person with the decision attached. Every replica polls; a task is claimed with a
 * lease (SKIP LOCKED), so one replica works it. A BSS that is away is waited out with backoff; after
 * the retry budget the ticket goes to a person rather than wait longer.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class AutomationWorker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AutomationConfig config;
    private final io.unichannel.common.timing.DueWork due;
    private final RuleSets rules;
    private final Bss bss;
    private final Oss oss;
    private final TicketService tickets;
    private final MeterRegistry meters;
    private final Timer decisionTime;
    private final Timer operatorTime;

    public AutomationWorker(AutomationConfig config, RuleSets rules, @RestClient Bss bss, @RestClient Oss oss,
            TicketService tickets, MeterRegistry meters, Automation automation) {
        this.due = automation.due();
        this.config = config;
        this.rules = rules;
        this.bss = bss;
        this.oss = oss;
        this.tickets = tickets;
        this.meters = meters;
        this.decisionTime = Timer.builder("ticket.automation.decision.time")
                .description("Time the rule engine takes for one decision").publishPercentileHistogram().register(meters);
        this.operatorTime = Timer.builder("ticket.automation.operator.time")
                .description("Time the BSS and OSS take to answer what one decision needs").publishPercentileHistogram()
                .register(meters);
        for (String ruleSet : Automation.RULE_SETS) {
            for (String handled : List.of("auto", "person")) {
                meters.counter("ticket.automation.decisions", "rule_set", ruleSet, "handled", handled);
            }
        }
    }

    /** A claimed task. */
    record Claimed(String ticketId, String kind, String customerId, String targetPackage, String question, int attempts,
            OffsetDateTime createdAt, String decision) {
    }

    /**
     * An approved package change still to be made in the BSS: the decision (recorded on the task
     * before the call when {@code recorded} is false) and the catalogue it was taken against (null
     * when carried out again from the record: read afresh for the answer's wording only).
     */
    record Change(RuleSets.Decided decided, Map<String, Object> inputs, List<Bss.CatalogPackage> catalogue, boolean recorded) {
    }

    /**
     * What working a task came to: the decision and what to do about the ticket, or the failure
     * that kept the rules from deciding.
     */
    record Worked(Claimed task, RuleSets.Decided decided, Map<String, Object> inputs, String outcome,
            List<TicketChange> changes, boolean route, String action, long operatorMillis, Throwable failure,
            java.util.function.Consumer<io.unichannel.ticket.TroubleTicket> update, Oss.Outage outage, Change change) {

        Worked(Claimed task, RuleSets.Decided decided, Map<String, Object> inputs, String outcome, List<TicketChange> changes,
                boolean route, String action, long operatorMillis, Throwable failure) {
            this(task, decided, inputs, outcome, changes, route, action, operatorMillis, failure, t -> { }, null, null);
        }

        static Worked toChange(Claimed task, Change change) {
            return new Worked(task, change.decided(), change.inputs(), "approved", List.of(), false, null, 0, null, t -> { }, null,
                    change);
        }

        static Worked failed(Claimed task, Throwable failure) {
            return new Worked(task, null, null, null, List.of(), false, null, 0, failure);
        }
    }

    @Scheduled(every = "${ticket.automation.poll-interval:1s}", delayed = "${ticket.automation.start-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (!config.enabled() || !rules.ready()) {
            return Uni.createFrom().voidItem();
        }
        if (!due.startLook()) {
            return Uni.createFrom().voidItem();
        }
        return round(0).chain(this::nextAttemptAt).invoke(due::looked).replaceWithVoid()
                .onFailure().invoke(e -> {
                    due.again();
                    Log.warnf("Automation: a round failed (%s); the next poll retries", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    /** When the earliest pending task may next be attempted (its lease, if it has one, run out). */
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    Uni<java.time.Instant> nextAttemptAt() {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) FROM automation_task "
                        + "WHERE state = 'pending'", Object.class).getSingleResultOrNull())
                .map(io.unichannel.ticket.sla.SlaService::instant);
    }

    private Uni<Void> round(int n) {
        // Tasks are worked side by side; their outcomes are recorded one group after another, each
        // in its own transaction (the poll's reactive session must not be shared by concurrent ones).
        return claim().chain(claimed -> Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(this::work).merge(config.concurrency())
                .group().intoLists().of(config.concurrency())
                .onItem().transformToUniAndConcatenate(this::carryOut)
                .onItem().transformToUniAndConcatenate(this::record)
                .collect().asList().chain(done -> claimed.size() == config.batch() && n < 20 ? round(n + 1)
                        : Uni.createFrom().voidItem()));
    }

    @WithTransaction
    Uni<List<Claimed>> claim() {
        OffsetDateTime now = now();
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT t.* FROM automation_task t WHERE t.state = 'pending' AND t.next_attempt_at <= ?1 "
                        + "AND (t.lease_until IS NULL OR t.lease_until < ?1) ORDER BY t.next_attempt_at LIMIT ?2 "
                        + "FOR UPDATE SKIP LOCKED", AutomationTask.class)
                .setParameter(1, now).setParameter(2, config.batch()).getResultList())
                .map(tasks -> tasks.stream().map(t -> {
                    t.leaseUntil = now.plus(config.lease());
                    return new Claimed(t.ticketId, t.kind, t.customerId, t.targetPackage, t.question, t.attempts, t.createdAt,
                            t.decision);
                }).toList());
    }

    private Uni<Worked> work(Claimed task) {
        long start = System.nanoTime();
        Uni<Worked> worked = switch (task.kind()) {
            case Automation.PACKAGE_CHANGE -> packageChange(task, start);
            case Automation.BILL_QUESTION -> billQuestion(task, start);
            case Automation.FAULT_DIAGNOSIS -> faultDiagnosis(task, start);
            default -> Uni.createFrom().failure(new IllegalStateException("unknown task kind " + task.kind()));
        };
        return worked.onFailure().recoverWithItem(e -> Worked.failed(task, e));
    }

    private Uni<Worked> packageChange(Claimed task, long start) {
        if (task.decision() != null) {
            // Decided before (the answer of the BSS was lost, or the replica died): carried out
            // again as decided, never decided anew against an account the first call may have changed.
            return Uni.createFrom().item(() -> Worked.toChange(task, recorded(task.decision())));
        }
        return Uni.combine().all().unis(bss.account(task.customerId()), bss.packages()).asTuple().chain(fetched -> {
            Bss.Account account = fetched.getItem1();
            List<Bss.CatalogPackage> catalogue = fetched.getItem2();
            long fetchedMillis = millisSince(start);
            PackageChangeFacts facts = PackageChanges.facts(account, catalogue, task.targetPackage());
            RuleSets.Decided decided = decide(Automation.PACKAGE_CHANGE, facts);
            Map<String, Object> inputs = PackageChanges.inputs(account, facts);
            boolean shadow = shadow(Automation.PACKAGE_CHANGE);
            if (decided.first("approve").isEmpty()) {
                List<String> alternatives = PackageChanges.alternatives(rules, account, catalogue);
                String reasons = String.join(" ", decided.all("refuse").stream().map(Finding::getMessage).toList());
                String answer = "We cannot change your package to " + task.targetPackage() + ": " + reasons
                        + (alternatives.isEmpty() ? " No other package can be reached from yours right now."
                                : " You can change to: " + String.join("; ", alternatives) + ".");
                inputs.put("alternatives", alternatives);
                return Uni.createFrom().item(settled(task, decided, inputs, "refused", shadow, answer,
                        "Package change refused: " + reasons, fetchedMillis));
            }
            if (shadow) {
                return Uni.createFrom().item(settled(task, decided, inputs, "approved", true, null, null, fetchedMillis));
            }
            return Uni.createFrom().item(Worked.toChange(task, new Change(decided, inputs, catalogue, false)));
        });
    }

    /**
     * Makes the approved package changes of a group: first their decisions are recorded on their
     * tasks (one transaction; if that fails, no change is made and the tasks are worked again
     * later), then each change is asked of the BSS with the ticket as its reference, which the BSS
     * keeps changes idempotent on.
     */
    private Uni<List<Worked>> carryOut(List<Worked> group) {
        List<Worked> toRecord = group.stream().filter(w -> w.change() != null && !w.change().recorded()).toList();
        Uni<Void> recorded = toRecord.isEmpty() ? Uni.createFrom().voidItem() : recordDecisions(toRecord);
        return recorded.onItem().transformToUni(v -> Multi.createFrom().iterable(group)
                .onItem().transformToUni(w -> w.change() == null ? Uni.createFrom().item(w) : change(w))
                .merge(config.concurrency()).collect().asList())
                .onFailure().recoverWithItem(e -> group.stream().map(w -> w.change() == null ? w : Worked.failed(w.task(), e))
                        .toList());
    }

    @WithTransaction
    Uni<Void> recordDecisions(List<Worked> changes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Worked w : changes) {
            String decision = json(Map.of("ruleSet", w.decided().ruleSet(), "version", w.decided().version(),
                    "findings", w.decided().findings().stream().map(f -> Map.of("kind", f.getKind(), "code", f.getCode(),
                            "message", f.getMessage())).toList(),
                    "firedRules", w.decided().firedRules(), "nanos", w.decided().nanos(), "inputs", w.inputs()));
            chain = chain.chain(() -> AutomationTask.update("decision = ?1 where ticketId = ?2 and state = ?3", decision,
                    w.task().ticketId(), AutomationTask.PENDING).replaceWithVoid());
        }
        return chain;
    }

    private Uni<Worked> change(Worked w) {
        long start = System.nanoTime();
        Claimed task = w.task();
        Change c = w.change();
        Uni<List<Bss.CatalogPackage>> catalogue = c.catalogue() != null ? Uni.createFrom().item(c.catalogue()) : bss.packages();
        return bss.changePackage(task.customerId(), new Bss.PackageChangeRequest(task.targetPackage(), task.ticketId()))
                .chain(change -> catalogue.map(packages -> settled(task, c.decided(), c.inputs(), "approved", false,
                        "Your package is now " + PackageChanges.describe(packages, change.toPackageId()) + " (was "
                                + change.fromPackageId() + "), change fee " + PackageChangeFacts.yuan(change.feeCents())
                                + ". BSS reference " + change.changeId() + ".",
                        "Package changed to " + change.toPackageId(), millisSince(start))))
                // The BSS's own checks refused what the rules allowed (its data changed since): a person looks.
                .onFailure(OperatorRefusal.class).recoverWithItem(refusal -> referred(task, c.decided(), c.inputs(), "approved",
                        "The rules allowed the change but the BSS refused it: " + refusal.getMessage(), millisSince(start)))
                .onFailure().recoverWithItem(e -> Worked.failed(task, e));
    }

    /** A decision as {@link #recordDecisions} wrote it. */
    @SuppressWarnings("unchecked")
    private static Change recorded(String decision) {
        try {
            Map<String, Object> d = JSON.readValue(decision, Map.class);
            List<Finding> findings = ((List<Map<String, String>>) d.get("findings")).stream().map(f -> switch (f.get("kind")) {
                case "approve" -> Finding.approve(f.get("code"), f.get("message"));
                case "refuse" -> Finding.refuse(f.get("code"), f.get("message"));
                case "answer" -> Finding.answer(f.get("code"), f.get("message"));
                default -> Finding.refer(f.get("code"), f.get("message"));
            }).toList();
            RuleSets.Decided decided = new RuleSets.Decided((String) d.get("ruleSet"), (String) d.get("version"), findings,
                    (List<String>) d.get("firedRules"), ((Number) d.get("nanos")).longValue());
            return new Change(decided, new java.util.LinkedHashMap<>((Map<String, Object>) d.get("inputs")), null, true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded automation decision that cannot be read", e);
        }
    }

    private Uni<Worked> billQuestion(Claimed task, long start) {
        return bss.bill(task.customerId()).map(bill -> {
            long fetchedMillis = millisSince(start);
            BillQuestionFacts facts = BillAnswers.facts(task.question(), bill);
            RuleSets.Decided decided = decide(Automation.BILL_QUESTION, facts);
            Map<String, Object> inputs = BillAnswers.inputs(task.question(), bill);
            List<Finding> answers = decided.all("answer");
            boolean shadow = shadow(Automation.BILL_QUESTION);
            if (answers.isEmpty() || decided.first("refer").isPresent()) {
                String why = decided.first("refer").map(Finding::getMessage).orElse("No known answer matches.");
                return referred(task, decided, inputs, "referred", why + " " + BillAnswers.summary(bill), fetchedMillis);
            }
            return settled(task, decided, inputs, "answered", shadow, BillAnswers.answer(bill, answers),
                    "Bill question answered from the bill of " + bill.period(), fetchedMillis);
        });
    }

    /**
     * A fault report, diagnosed from the OSS: the customer is told the cause and when to expect the
     * repair, and the ticket goes to the engineer group the diagnosis points at.
     */
    private Uni<Worked> faultDiagnosis(Claimed task, long start) {
        return oss.line(task.customerId()).chain(line -> oss.outages(line.area()).map(outages -> {
            long fetchedMillis = millisSince(start);
            FaultFacts facts = new FaultFacts(line.technology(), line.ontRxPowerDbm(), line.alarms(), line.cpeConfigOk(),
                    !outages.isEmpty(), line.faultsLast90Days());
            RuleSets.Decided decided = decide(Automation.FAULT_DIAGNOSIS, facts);
            Diagnoses.Diagnosis diagnosis = Diagnoses.of(decided, line, outages, now());
            Map<String, Object> inputs = Diagnoses.inputs(line, outages);
            if (shadow(Automation.FAULT_DIAGNOSIS)) {
                return new Worked(task, decided, inputs, diagnosis.cause(), List.of(), true,
                        "Shadow mode: diagnosed " + diagnosis.cause() + ", not acted on; handed to the fault desk", fetchedMillis, null);
            }
            if (diagnosis.cause().equals("outage")) {
                // Attached to the outage's incident and not worked on its own: pending until the incident is resolved.
                Oss.Outage outage = outages.get(0);
                List<TicketChange> changes = List.of(new TicketChange(TicketStatus.PENDING, truncate(diagnosis.forCustomer(), 1000),
                        "Automatic diagnosis: " + diagnosis.forCustomer(), null, null, null));
                return new Worked(task, decided, inputs, "outage", changes, false,
                        "Attached to the incident of outage " + outage.id(), fetchedMillis, null, ticket -> {
                            ticket.diagnosis = "outage";
                        }, outage, null);
            }
            List<TicketChange> changes = List.of(new TicketChange(TicketStatus.IN_PROGRESS, truncate(diagnosis.forCustomer(), 1000),
                    "Automatic diagnosis: " + diagnosis.forCustomer(), null, null, null));
            return new Worked(task, decided, inputs, diagnosis.cause(), changes, true,
                    "Diagnosed " + diagnosis.cause() + "; routed by diagnosis", fetchedMillis, null, ticket -> {
                        ticket.diagnosis = diagnosis.cause();
                    }, null, null);
        }));
    }

    private RuleSets.Decided decide(String ruleSet, Object facts) {
        RuleSets.Decided decided = rules.decide(ruleSet, facts);
        decisionTime.record(decided.nanos(), TimeUnit.NANOSECONDS);
        return decided;
    }

    private boolean shadow(String ruleSet) {
        return "shadow".equals(config.modeOf(ruleSet));
    }

    /**
     * The decision carried out: the ticket goes to inProgress and is resolved with the answer, or
     * in shadow mode the answer is only recorded and the ticket goes to a person.
     */
    private Worked settled(Claimed task, RuleSets.Decided decided, Map<String, Object> inputs, String outcome, boolean shadow,
            String answer, String reason, long operatorMillis) {
        if (shadow) {
            return new Worked(task, decided, inputs, outcome, List.of(), true,
                    "Shadow mode: decided " + outcome + ", not acted on; handed to an agent", operatorMillis, null);
        }
        // The answer is the resolution's reason, so every channel's progress view shows it as it is.
        List<TicketChange> changes = List.of(
                new TicketChange(TicketStatus.IN_PROGRESS, "Being checked automatically", null, null, null, null),
                new TicketChange(TicketStatus.RESOLVED, truncate(answer, 1000), answer, null, null, null));
        return new Worked(task, decided, inputs, outcome, changes, false, reason, operatorMillis, null);
    }

    /** The rules cannot settle it: a note for the agent with what they found, and the ticket to routing. */
    private Worked referred(Claimed task, RuleSets.Decided decided, Map<String, Object> inputs, String outcome, String note,
            long operatorMillis) {
        return new Worked(task, decided, inputs, outcome,
                List.of(new TicketChange(null, null, "For the agent (automatic check): " + note, null, null, null)), true,
                "Handed to an agent: " + note, operatorMillis, null);
    }

    private Uni<Void> record(List<Worked> group) {
        return settle(group).onFailure().invoke(e -> Log.warnf("Automation: could not record tasks %s (%s); their leases "
                + "lapse and they are worked again", group.stream().map(w -> w.task().ticketId()).toList(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    @WithTransaction
    Uni<Void> settle(List<Worked> group) {
        OffsetDateTime now = now();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Worked worked : group) {
            chain = chain.chain(() -> AutomationTask.<AutomationTask>findById(worked.task().ticketId())
                    .chain(task -> task == null || !AutomationTask.PENDING.equals(task.state) ? Uni.createFrom().voidItem()
                            : settle(task, worked, now)));
        }
        return chain;
    }

    private Uni<Void> settle(AutomationTask task, Worked worked, OffsetDateTime now) {
        task.leaseUntil = null;
        // A fault report is never held for a diagnosis: without the OSS it goes to the fault desk at once.
        boolean waitable = !Automation.FAULT_DIAGNOSIS.equals(task.kind)
                && task.createdAt.plus(config.maxWait()).isAfter(now);
        if (worked.failure() instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException && waitable) {
            // The BSS failed repeatedly and its circuit is open: wait without spending the task's attempts.
            task.nextAttemptAt = now.plus(config.initialBackoff().multipliedBy(2));
            task.lastError = "circuit open: the BSS failed repeatedly";
            return Uni.createFrom().voidItem();
        }
        if (worked.failure() != null) {
            task.attempts++;
            task.lastError = describe(worked.failure());
            // A refusal (the BSS does not know the customer, say) is final; an outage is waited out.
            if (waitable && !(worked.failure() instanceof OperatorRefusal) && task.attempts < config.maxAttempts()) {
                long backoff = config.initialBackoff().toMillis() << Math.min(10, task.attempts - 1);
                task.nextAttemptAt = now.plus(backoff, ChronoUnit.MILLIS);
                Log.infof("Automation: ticket %s waits for the BSS (attempt %d: %s)", task.ticketId, task.attempts, task.lastError);
                return Uni.createFrom().voidItem();
            }
            task.state = AutomationTask.DONE;
            meters.counter("ticket.automation.unavailable", "kind", task.kind).increment();
            if (Automation.FAULT_DIAGNOSIS.equals(task.kind)) {
                // Undiagnosed, the report goes to the fault desk as it would without automation; the
                // missing diagnosis characteristic says no diagnosis was made.
                Log.debugf("Automation: fault report %s routed undiagnosed (%s)", task.ticketId, task.lastError);
                return tickets.applyAutomated(task.ticketId, t -> { }, List.of(), true).replaceWithVoid();
            }
            return tickets.applyAutomated(task.ticketId, t -> { }, List.of(new TicketChange(null, null,
                    "For the agent: automatic handling " + (worked.failure() instanceof OperatorRefusal
                            ? "was refused by the operator's systems" : "could not reach the operator's systems")
                            + " (" + task.lastError + ").",
                    null, null, null)), true).replaceWithVoid();
        }
        task.state = AutomationTask.DONE;
        boolean auto = !worked.route();
        meters.counter("ticket.automation.decisions", "rule_set", worked.decided().ruleSet(), "handled", auto ? "auto" : "person")
                .increment();
        meters.counter("ticket.automation.rule.decisions", "rule_set", worked.decided().ruleSet(), "rule",
                worked.decided().findings().isEmpty() ? "none" : worked.decided().findings().get(0).getCode(),
                "handled", auto ? "auto" : "person").increment();
        operatorTime.record(worked.operatorMillis(), TimeUnit.MILLISECONDS);
        Uni<java.util.function.Consumer<io.unichannel.ticket.TroubleTicket>> update = worked.outage() == null
                ? Uni.createFrom().item(worked.update())
                : tickets.incidentFor(worked.outage().id(), worked.outage().area(), worked.outage().cause(), task.ticketId)
                        .map(parent -> worked.update().andThen(t -> t.parentTicketId = parent.id));
        return update.chain(u -> tickets.applyAutomated(task.ticketId, u, worked.changes(), worked.route())).chain(ticket -> {
            AutomationDecision decision = new AutomationDecision();
            decision.id = UUID.randomUUID().toString();
            decision.ticketId = task.ticketId;
            decision.ruleSet = worked.decided().ruleSet();
            decision.ruleSetVersion = worked.decided().version();
            decision.mode = shadow(decision.ruleSet) ? "shadow" : "act";
            decision.outcome = worked.outcome();
            decision.inputs = json(worked.inputs());
            decision.findings = json(worked.decided().findings().stream().map(f -> Map.of("kind", f.getKind(),
                    "code", f.getCode(), "message", f.getMessage())).toList());
            decision.firedRules = json(worked.decided().firedRules());
            decision.action = truncate(ticket == null ? "Nothing done: staff had already taken the ticket up" : worked.action(), 500);
            decision.decidedAt = now;
            decision.decisionMicros = worked.decided().nanos() / 1_000;
            decision.operatorMillis = worked.operatorMillis();
            return decision.persist().replaceWithVoid();
        });
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return truncate(text, 300);
    }

    private static String truncate(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
