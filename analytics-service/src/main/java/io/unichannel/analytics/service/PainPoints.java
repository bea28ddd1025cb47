package io.unichannel.analytics.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.analytics.PainPointMap;
import io.unichannel.analytics.PainPointMap.Signal;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.outbox.Outbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The pain-point list and each pain point's PDCA cycle, in PostgreSQL: signals counted per month,
 * process node and department; a pain point opened (automatically once a node's signals in a
 * month reach the threshold, or by a manager) for the owning department, with a plan due in 3 days
 * and a pilot in 7; overdue warnings; verification from the next month's signals and re-surveys.
 * Every change writes its PainPointChanged event to the outbox in the same transaction, and every
 * timed step is one atomic statement, so replicas that run it together do it once.
 */
@ApplicationScoped
public class PainPoints {

    /** One row of the list: a node and department in a month, its signals, and its pain point if opened. */
    public record Entry(String period, String node, String nodeLabel, String department, long complaints, long breaches,
            long lowScores, long surveyed, Double lowScoreRate, long weight, PainPoint painPoint) {
    }

    /** A pain point as the API shows it. */
    public record PainPoint(String id, String period, String node, String department, String status, String mapVersion,
            String openedAt, String openedBy, String planDue, String pilotDue, String plan, String planBy, String planAt,
            String pilot, String pilotBy, String pilotAt, boolean planOverdue, boolean pilotOverdue,
            Map<String, Object> verification, String dismissal, String dismissedBy, String dismissedAt) {
    }

    /** Signals of one node and department in one month. */
    public record Measures(long complaints, long breaches, long lowScores, long surveyed) {

        Double lowScoreRate() {
            return surveyed == 0 ? null : Math.round(1000.0 * lowScores / surveyed) / 1000.0;
        }

        long weight() {
            return 3 * complaints + 2 * breaches + lowScores;
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("complaints", complaints);
            m.put("breaches", breaches);
            m.put("lowScores", lowScores);
            m.put("surveyed", surveyed);
            m.put("lowScoreRate", lowScoreRate());
            return m;
        }
    }

    static final String AGGREGATE = "PainPoint";
    private static final String COLUMNS = "id, period, node, department, status, map_version, opened_at, opened_by, plan_due, "
            + "pilot_due, plan, plan_by, plan_at, pilot, pilot_by, pilot_at, plan_overdue_at, pilot_overdue_at, verification, "
            + "dismissal, dismissed_by, dismissed_at";

    private final PgPool pool;
    private final PainPointMap map;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final ZoneId zone;
    private final int openAt;
    private final Duration planWithin;
    private final Duration pilotWithin;
    private final MeterRegistry meters;

    public PainPoints(PgPool pool, PainPointMap map, Outbox outbox, ObjectMapper json, MeterRegistry meters,
            @ConfigProperty(name = "analytics.zone") ZoneId zone,
            @ConfigProperty(name = "analytics.pain-points.open-at") int openAt,
            @ConfigProperty(name = "analytics.pain-points.plan-within") Duration planWithin,
            @ConfigProperty(name = "analytics.pain-points.pilot-within") Duration pilotWithin) {
        this.pool = pool;
        this.map = map;
        this.outbox = outbox;
        this.json = json;
        this.meters = meters;
        this.zone = zone;
        this.openAt = openAt;
        this.planWithin = planWithin;
        this.pilotWithin = pilotWithin;
        // Series exist from start-up at zero, so dashboards and alerts see a rise, not a series appearing.
        for (String stage : List.of("plan", "pilot")) {
            meters.counter("analytics_pain_point_overdue_total", "stage", stage);
        }
        for (String node : map.nodesInOrder().keySet()) {
            for (String kind : List.of(PainPointMap.COMPLAINT, PainPointMap.BREACH, PainPointMap.LOW_SCORE, PainPointMap.SURVEYED)) {
                meters.counter("analytics_pain_signals_total", "kind", kind, "node", node);
            }
        }
    }

    public PainPointMap map() {
        return map;
    }

    public ZoneId zone() {
        return zone;
    }

    /** One event's signals. */
    public record Recorded(String eventId, List<Signal> signals) {
    }

    /** Records events' signals in one transaction, each once (a redelivered event adds nothing). */
    public Uni<Void> record(List<Recorded> events) {
        List<Tuple> rows = new ArrayList<>();
        for (Recorded event : events) {
            for (Signal s : event.signals()) {
                rows.add(Tuple.from(new Object[] {event.eventId(), s.node(), s.kind(), s.department(), s.period(), s.ticketId(),
                        OffsetDateTime.ofInstant(s.at(), ZoneOffset.UTC)}));
            }
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO pain_signal (event_id, node, kind, department, period, "
                + "ticket_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING kind, node")
                .executeBatch(rows))
                .invoke(result -> {
                    for (var r = result; r != null; r = r.next()) {
                        for (Row row : r) {
                            meters.counter("analytics_pain_signals_total", "kind", row.getString("kind"), "node", row.getString("node"))
                                    .increment();
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** The list for a month, heaviest first (complaints weigh 3, breaches 2, low scores 1). */
    public Uni<List<Entry>> list(YearMonth period, Optional<String> department) {
        return measures(pool, period.toString(), department).chain(measured -> points(period.toString(), department).map(points -> {
            List<Entry> out = new ArrayList<>();
            measured.forEach((key, m) -> {
                String[] nd = key.split("\\|", 2);
                PainPointMap.Node node = map.nodes().get(nd[0]);
                out.add(new Entry(period.toString(), nd[0], node == null ? nd[0] : node.label(), nd[1], m.complaints(), m.breaches(),
                        m.lowScores(), m.surveyed(), m.lowScoreRate(), m.weight(), points.get(key)));
            });
            points.forEach((key, point) -> {
                if (!measured.containsKey(key)) {
                    PainPointMap.Node node = map.nodes().get(point.node());
                    out.add(new Entry(period.toString(), point.node(), node == null ? point.node() : node.label(), point.department(),
                            0, 0, 0, 0, null, 0, point));
                }
            });
            out.sort((a, b) -> a.weight() != b.weight() ? Long.compare(b.weight(), a.weight())
                    : (a.node() + a.department()).compareTo(b.node() + b.department()));
            return out;
        }));
    }

    /** The tickets behind a list row, newest first (at most {@code limit}). */
    public Uni<List<Map<String, Object>>> tickets(YearMonth period, String node, String department, int limit) {
        return pool.preparedQuery("SELECT ticket_id, kind, occurred_at FROM pain_signal WHERE period = $1 AND node = $2 "
                + "AND department = $3 AND kind <> 'surveyed' ORDER BY occurred_at DESC, ticket_id LIMIT $4")
                .execute(Tuple.of(period.toString(), node, department, limit))
                .map(rows -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (Row row : rows) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("ticketId", row.getString("ticket_id"));
                        m.put("signal", row.getString("kind"));
                        m.put("at", Timestamps.rfc3339(row.getOffsetDateTime("occurred_at")));
                        out.add(m);
                    }
                    return out;
                });
    }

    public Uni<PainPoint> get(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM pain_point WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(ProblemTypes.NOT_FOUND, "No such pain point", 404, "No pain point " + id + ".");
                    }
                    return view(rows.iterator().next());
                });
    }

    /** A manager opens a pain point for a node and department with signals in that month. */
    public Uni<PainPoint> open(YearMonth period, String node, String department, String by) {
        if (!map.nodes().containsKey(node) || !department.equals(map.department(node))) {
            return Uni.createFrom().failure(new ProblemException(ProblemTypes.INVALID_REQUEST, "Unknown node or department", 422,
                    "The pain-point map " + map.version() + " has no node " + node + " owned by " + department + "."));
        }
        return pool.withTransaction(tx -> measures(tx, period.toString(), Optional.of(department)).chain(measured -> {
            Measures m = measured.get(node + "|" + department);
            if (m == null || m.weight() == 0) {
                throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Nothing to answer for", 422,
                        "No complaint, breach or low score was recorded for " + node + " / " + department + " in " + period + ".");
            }
            return insert(tx, period.toString(), node, department, by, m, OffsetDateTime.now(ZoneOffset.UTC));
        })).map(opened -> opened.orElseThrow(() -> new ProblemException(ProblemTypes.CONFLICT, "Already open", 409,
                "A pain point for " + node + " / " + department + " in " + period + " is already open.")));
    }

    /**
     * Opens a pain point for every node and department whose complaints, breaches and low scores
     * this month or last reached the threshold; the count opened.
     */
    public Uni<Integer> openDue(OffsetDateTime now) {
        YearMonth month = YearMonth.from(now.atZoneSameInstant(zone));
        return Multi.createFrom().items(month.minusMonths(1), month).onItem()
                .transformToUniAndConcatenate(period -> pool.withTransaction(tx -> measures(tx, period.toString(), Optional.empty())
                        .chain(measured -> Multi.createFrom().iterable(measured.entrySet())
                                .filter(e -> e.getValue().complaints() + e.getValue().breaches() + e.getValue().lowScores() >= openAt)
                                .onItem().transformToUniAndConcatenate(e -> {
                                    String[] nd = e.getKey().split("\\|", 2);
                                    return insert(tx, period.toString(), nd[0], nd[1], "threshold", e.getValue(), now);
                                })
                                .collect().asList().map(opened -> (int) opened.stream().filter(Optional::isPresent).count()))))
                .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Optional<PainPoint>> insert(SqlClient tx, String period, String node, String department, String by, Measures m,
            OffsetDateTime now) {
        UUID id = UUID.randomUUID();
        return tx.preparedQuery("INSERT INTO pain_point (id, period, node, department, status, map_version, opened_at, opened_by, "
                + "plan_due, pilot_due) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {id, period, node, department, map.version(), now, by, now.plus(planWithin),
                        now.plus(pilotWithin)}))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<PainPoint>empty());
                    }
                    PainPoint point = view(rows.iterator().next());
                    return changed(tx, point, "opened", now, Map.of("measures", m.asMap())).replaceWith(Optional.of(point));
                });
    }

    /** The owning department's plan (may be revised until the pilot starts). */
    public Uni<PainPoint> plan(UUID id, String text, String by) {
        return step(id, "UPDATE pain_point SET plan = $2, plan_by = $3, plan_at = $4, status = 'planned' "
                + "WHERE id = $1 AND status IN ('open', 'planned') RETURNING " + COLUMNS, text, by, "planned",
                "A plan can be given while the pain point is open or planned; the pilot has started or it is verified.");
    }

    /** The pilot that puts the plan into practice; needs the plan first. */
    public Uni<PainPoint> pilot(UUID id, String text, String by) {
        return step(id, "UPDATE pain_point SET pilot = $2, pilot_by = $3, pilot_at = $4, status = 'piloting' "
                + "WHERE id = $1 AND status IN ('planned', 'piloting') RETURNING " + COLUMNS, text, by, "piloting",
                "A pilot follows the plan: give the plan first (a verified pain point takes no more steps).");
    }

    private Uni<PainPoint> step(UUID id, String sql, String text, String by, String change, String refusal) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return get(id).chain(before -> pool.withTransaction(tx -> tx.preparedQuery(sql).execute(Tuple.of(id, text, by, now))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(ProblemTypes.CONFLICT, "Not at this step", 409, refusal);
                    }
                    PainPoint point = view(rows.iterator().next());
                    return changed(tx, point, change, now, Map.of()).replaceWith(point);
                })));
    }

    /** A manager closes a pain point that turned out to be none, with the reason; no warning or verification follows. */
    public Uni<PainPoint> dismiss(UUID id, String reason, String by) {
        return step(id, "UPDATE pain_point SET dismissal = $2, dismissed_by = $3, dismissed_at = $4, status = 'dismissed' "
                + "WHERE id = $1 AND status IN ('open', 'planned', 'piloting') RETURNING " + COLUMNS, reason, by, "dismissed",
                "Only a pain point still being worked can be dismissed; this one is verified or dismissed already.");
    }

    /** Warns once for every plan and pilot past its due date; the count of warnings. */
    public Uni<Integer> warnOverdue(OffsetDateTime now) {
        return overdue(now, "plan").chain(plans -> overdue(now, "pilot").map(pilots -> plans + pilots));
    }

    private Uni<Integer> overdue(OffsetDateTime now, String stage) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE pain_point SET " + stage + "_overdue_at = $1 WHERE " + stage
                + " IS NULL AND " + stage + "_overdue_at IS NULL AND " + stage + "_due < $1 AND verified_at IS NULL AND dismissed_at IS NULL RETURNING " + COLUMNS)
                .execute(Tuple.of(now))
                .chain(rows -> {
                    List<PainPoint> points = new ArrayList<>();
                    rows.forEach(row -> points.add(view(row)));
                    return Multi.createFrom().iterable(points)
                            .onItem().transformToUniAndConcatenate(p -> changed(tx, p, stage + "Overdue", now, Map.of()).replaceWith(p))
                            .collect().asList().map(List::size);
                }))
                .invoke(count -> meters.counter("analytics_pain_point_overdue_total", "stage", stage).increment(count));
    }

    /**
     * Verifies every pain point whose next month has ended: that month's low-score rate among its
     * re-surveys, complaints and breaches against its own month's. Improved when the low-score
     * rate fell (or, without re-surveys in either month, when complaints and breaches fell);
     * "insufficientData" when the next month holds no signal at all. The count verified.
     */
    public Uni<Integer> verifyDue(OffsetDateTime now) {
        String lastEnded = YearMonth.from(now.atZoneSameInstant(zone)).minusMonths(2).toString();
        return pool.preparedQuery("SELECT id FROM pain_point WHERE verified_at IS NULL AND dismissed_at IS NULL AND period <= $1 "
                + "ORDER BY period LIMIT 100")
                .execute(Tuple.of(lastEnded))
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(id -> verify(id, now))
                            .collect().asList().map(done -> (int) done.stream().filter(Boolean::booleanValue).count());
                });
    }

    private Uni<Boolean> verify(UUID id, OffsetDateTime now) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS + " FROM pain_point WHERE id = $1 AND verified_at IS NULL AND dismissed_at IS NULL "
                + "FOR UPDATE SKIP LOCKED").execute(Tuple.of(id)).chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    PainPoint point = view(rows.iterator().next());
                    YearMonth own = YearMonth.parse(point.period());
                    return measures(tx, own.toString(), Optional.of(point.department())).chain(before -> measures(tx,
                            own.plusMonths(1).toString(), Optional.of(point.department())).chain(after -> {
                                Measures b = before.getOrDefault(point.node() + "|" + point.department(), new Measures(0, 0, 0, 0));
                                Measures a = after.getOrDefault(point.node() + "|" + point.department(), new Measures(0, 0, 0, 0));
                                Map<String, Object> verification = new LinkedHashMap<>();
                                verification.put("result", result(b, a));
                                verification.put("baseline", b.asMap());
                                verification.put("nextPeriod", own.plusMonths(1).toString());
                                verification.put("next", a.asMap());
                                String status = switch ((String) verification.get("result")) {
                                    case "improved" -> "verified";
                                    case "notImproved" -> "notImproved";
                                    default -> "unverified";
                                };
                                return tx.preparedQuery("UPDATE pain_point SET verification = $2, verified_at = $3, status = $4 "
                                        + "WHERE id = $1 RETURNING " + COLUMNS)
                                        .execute(Tuple.of(id, new JsonObject(verification), now, status))
                                        .chain(updated -> changed(tx, view(updated.iterator().next()), "verified", now, Map.of()))
                                        .replaceWith(true);
                            }));
                }));
    }

    /** Improved, notImproved or insufficientData: pure, so the rule is tested on its own. */
    public static String result(Measures before, Measures after) {
        if (after.surveyed() + after.complaints() + after.breaches() == 0) {
            return "insufficientData";
        }
        if (before.surveyed() > 0 && after.surveyed() > 0) {
            boolean fewerLow = after.lowScoreRate() < before.lowScoreRate();
            boolean noWorse = after.complaints() + after.breaches() <= before.complaints() + before.breaches();
            return fewerLow && noWorse ? "improved" : "notImproved";
        }
        return after.complaints() + after.breaches() < before.complaints() + before.breaches() ? "improved" : "notImproved";
    }

    private Uni<Map<String, Measures>> measures(SqlClient client, String period, Optional<String> department) {
        return client.preparedQuery("SELECT node, department, count(*) FILTER (WHERE kind = 'complaint') AS complaints, "
                + "count(*) FILTER (WHERE kind = 'breach') AS breaches, count(*) FILTER (WHERE kind = 'lowScore') AS low_scores, "
                + "count(*) FILTER (WHERE kind = 'surveyed') AS surveyed FROM pain_signal WHERE period = $1 "
                + "AND ($2::varchar IS NULL OR department = $2) GROUP BY node, department")
                .execute(Tuple.of(period, department.orElse(null)))
                .map(rows -> {
                    Map<String, Measures> out = new LinkedHashMap<>();
                    for (Row row : rows) {
                        out.put(row.getString("node") + "|" + row.getString("department"), new Measures(row.getLong("complaints"),
                                row.getLong("breaches"), row.getLong("low_scores"), row.getLong("surveyed")));
                    }
                    return out;
                });
    }

    private Uni<Map<String, PainPoint>> points(String period, Optional<String> department) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM pain_point WHERE period = $1 AND ($2::varchar IS NULL OR department = $2)")
                .execute(Tuple.of(period, department.orElse(null)))
                .map(rows -> {
                    Map<String, PainPoint> out = new LinkedHashMap<>();
                    for (Row row : rows) {
                        PainPoint p = view(row);
                        out.put(p.node() + "|" + p.department(), p);
                    }
                    return out;
                });
    }

    /** The PainPointChanged event, to the owning department and ops, in the same transaction. */
    private Uni<Void> changed(SqlClient tx, PainPoint point, String change, OffsetDateTime at, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("painPointId", point.id());
        data.put("change", change);
        data.put("period", point.period());
        data.put("node", point.node());
        data.put("department", point.department());
        data.put("status", point.status());
        data.put("mapVersion", point.mapVersion());
        data.put("openedAt", point.openedAt());
        data.put("planDue", point.planDue());
        data.put("pilotDue", point.pilotDue());
        data.put("planOverdue", point.planOverdue());
        data.put("pilotOverdue", point.pilotOverdue());
        if (point.verification() != null) {
            data.put("verification", point.verification());
        }
        if (point.dismissedAt() != null) {
            data.put("dismissedAt", point.dismissedAt());
        }
        data.putAll(extra);
        data.put("notify", List.of("department:" + point.department(), "ops"));
        data.put("at", Timestamps.rfc3339(at));
        return outbox.add(tx, AGGREGATE, point.id(), EventTypes.PAIN_POINT_CHANGED, at, data, null);
    }

    @SuppressWarnings("unchecked")
    private PainPoint view(Row row) {
        Object verification = row.getValue("verification");
        Map<String, Object> v = verification instanceof JsonObject o ? json.convertValue(o.getMap(), Map.class) : null;
        return new PainPoint(row.getUUID("id").toString(), row.getString("period"), row.getString("node"), row.getString("department"),
                row.getString("status"), row.getString("map_version"), time(row, "opened_at"), row.getString("opened_by"),
                time(row, "plan_due"), time(row, "pilot_due"), row.getString("plan"), row.getString("plan_by"), time(row, "plan_at"),
                row.getString("pilot"), row.getString("pilot_by"), time(row, "pilot_at"), row.getValue("plan_overdue_at") != null,
                row.getValue("pilot_overdue_at") != null, v, row.getString("dismissal"), row.getString("dismissed_by"),
                time(row, "dismissed_at"));
    }

    private static String time(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : Timestamps.rfc3339(t);
    }
}
