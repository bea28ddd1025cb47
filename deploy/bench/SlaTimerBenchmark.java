import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SLA timer under a large open backlog: loads TOTAL open tickets, each with a running clock,
 * into ticket-service's database (straight SQL, as intake would have written them); DUE of them
 * have a warning falling due, spread over WINDOW seconds starting 35 s after the load (see
 * SAFETY_LOOK_SECONDS); the running ticket-service
 * fires them. Prints the firing lag (p50/p99, from each stage's due time to the firing
 * transaction) and the database cost per minute of the timer (transactions, rows and pages read,
 * sequential scans of the ticket table) next to this machine's own single-row insert rate,
 * measured in the same run with 8 connections.
 *
 * java -cp "ticket-service/target/quarkus-app/lib/main/*" deploy/bench/SlaTimerBenchmark.java JDBC_URL TOTAL DUE WINDOW REPORT
 */
public class SlaTimerBenchmark {

    /**
     * Rows written straight into the database, behind the service's back, are unknown to its timers
     * until their safety look (every 30 s; the service's own writes wake them at once), so the due
     * stages start after it: the lag measured is the timer's for work it knows, as in service.
     */
    private static final int SAFETY_LOOK_SECONDS = 30;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int total = Integer.parseInt(args[1]);
        int due = Integer.parseInt(args[2]);
        int window = Integer.parseInt(args[3]);
        Path report = Path.of(args[4]);
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres")) {
            db.setAutoCommit(true);
            double insertRate = insertRate(url);
            System.out.printf("machine limit: %.0f single-row inserts/s (8 connections, %s s)%n", insertRate, System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "10"));

            long loadStart = System.nanoTime();
            try (Connection loader = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement s = loader.createStatement()) {
                // a connection of its own, closed before measuring: its statistics reach the views first
                s.execute("DELETE FROM trouble_ticket WHERE id LIKE 'TT-SLAB-%'");
                // Open tickets whose next stage is days away, then DUE whose 50 % warning falls in the window.
                s.execute(load("'TT-SLAB-" + run + "-' || n", "generate_series(1, " + (total - due) + ") AS n",
                        "now() + interval '1 day' + make_interval(secs => n % 86400)", "now()"));
                s.execute(load("'TT-SLAB-" + run + "-D' || n", "generate_series(1, " + due + ") AS n",
                        "now() + interval '" + (SAFETY_LOOK_SECONDS + 5) + " seconds' + make_interval(secs => n * " + (window - 10) + ".0 / "
                                + due + ")",
                        "now()"));
                s.execute("ANALYZE trouble_ticket");
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf("loaded %,d tickets in %.1f s%n", total, loadSeconds);

            Map<String, Long> before = stats(db);
            long started = System.nanoTime();
            Thread.sleep((window + SAFETY_LOOK_SECONDS) * 1000L);
            double minutes = (System.nanoTime() - started) / 60e9;
            Map<String, Long> after = stats(db);
            long open;
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*) FROM trouble_ticket WHERE sla_next_stage_at IS NOT NULL")) {
                r.next();
                open = r.getLong(1);
            }

            long fired;
            double p50;
            double p99;
            double max;
            try (PreparedStatement q = db.prepareStatement("""
                    SELECT count(*),
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), percentile_cont(0.99) WITHIN GROUP (ORDER BY lag), max(lag)
                    FROM (SELECT extract(epoch FROM (payload::jsonb->>'eventTime')::timestamptz
                                 - (payload::jsonb->'slaStage'->>'dueAt')::timestamptz) * 1000 AS lag
                          FROM outbox_event WHERE event_type = 'TroubleTicketSlaWarningEvent' AND aggregate_id LIKE ?) l""")) {
                q.setString(1, "TT-SLAB-" + run + "-D%");
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    fired = r.getLong(1);
                    p50 = r.getDouble(2);
                    p99 = r.getDouble(3);
                    max = r.getDouble(4);
                }
            }
            List<String> lines = new ArrayList<>();
            lines.add("| | value | limit or reference |");
            lines.add("|---|---|---|");
            lines.add(String.format("| open tickets with running clocks | %,d | |", open));
            lines.add(String.format("| warnings due in the %d s window | %,d | |", window, due));
            lines.add(String.format("| warnings fired | %,d | every one, once |", fired));
            lines.add(String.format("| firing lag p50 | %.0f ms | 5,000 ms |", p50));
            lines.add(String.format("| firing lag p99 | %.0f ms | 5,000 ms |", p99));
            lines.add(String.format("| firing lag max | %.0f ms | 5,000 ms |", max));
            for (String key : before.keySet()) {
                lines.add(String.format("| database per minute: %s | %,.0f | |", key, (after.get(key) - before.get(key)) / minutes));
            }
            lines.add(String.format("| machine: single-row inserts/s (8 connections) | %,.0f | |", insertRate));
            lines.add(String.format("| database per minute: transactions as a share of a minute of inserts | %.2f %% | |",
                    100.0 * (after.get("transactions") - before.get("transactions")) / minutes / (insertRate * 60)));
            Files.writeString(report, String.join("\n", lines) + "\n");
            lines.forEach(System.out::println);
            try (Statement s = db.createStatement()) {
                s.execute("DELETE FROM trouble_ticket WHERE id LIKE 'TT-SLAB-%'");
            }
            if (fired != due) {
                System.err.printf("%d warnings were due but %d fired%n", due, fired);
                System.exit(1);
            }
        }
    }

    private static String load(String id, String series, String nextStage, String now) {
        return """
                INSERT INTO trouble_ticket (id, request_id, ticket_type, description, severity, priority, status, channel,
                    customer_id, region, creation_date, last_update, expected_resolution_date, sequence, log, sla, sla_next_stage_at)
                SELECT %1$s, gen_random_uuid(), 'faultRepair', 'Benchmark: no signal at home', 'minor', 'medium', 'acknowledged', 'app',
                       'bench-c-' || (n %% 100000), 'gz-tianhe', %4$s, %4$s, due + interval '1 hour', 1,
                       '{"statusHistory":[],"notes":[]}',
                       json_build_object('clocks', json_build_array(json_build_object(
                           'metric', 'resolution', 'policyId', 'default', 'policyVersion', 'bench', 'regulatory', false,
                           'time', 'calendar', 'target', 'PT2H', 'targetMillis', 7200000, 'state', 'running', 'usedMillis', 0,
                           'runningSince', to_char((due - interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'startedAt', to_char((due - interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'dueAt', to_char((due + interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'nextStageAt', to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'stagesFired', 0, 'breached', false)))::text,
                       due
                FROM (SELECT n, %3$s AS due FROM %2$s) t
                """.formatted(id, series, nextStage, now);
    }

    private static Map<String, Long> stats(Connection db) throws Exception {
        // backends flush their statistics about once a second: let what came before reach the views
        Thread.sleep(1_500);
        Map<String, Long> stats = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("""
                SELECT d.xact_commit + d.xact_rollback, d.tup_returned + d.tup_fetched, d.blks_hit + d.blks_read, t.seq_scan
                FROM pg_stat_database d, pg_stat_user_tables t
                WHERE d.datname = current_database() AND t.relname = 'trouble_ticket'""")) {
            r.next();
            stats.put("transactions", r.getLong(1));
            stats.put("rows read", r.getLong(2));
            stats.put("pages touched (8 KiB)", r.getLong(3));
            stats.put("sequential scans of trouble_ticket", r.getLong(4));
        }
        return stats;
    }

    private static double insertRate(String url) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_insert_limit (id uuid PRIMARY KEY, payload text NOT NULL)");
        }
        AtomicLong inserted = new AtomicLong();
        long end = System.nanoTime() + Long.parseLong(System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "10")) * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                        PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO bench_insert_limit VALUES (gen_random_uuid(), repeat('x', 512))")) {
                    while (System.nanoTime() < end) {
                        insert.executeUpdate();
                        inserted.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = db.createStatement()) {
            s.execute("DROP TABLE bench_insert_limit");
        }
        return inserted.get() / 10.0;
    }
}
