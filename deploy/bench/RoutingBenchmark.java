import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routing under a large backlog: loads AGENTS available agents (20 regions, every region with
 * juniors, regulars and seniors, skills spread, 11 open tickets each at most: room for every bench
 * ticket and a little for the platform's own waiting tickets, which the widest targets may give them) and TICKETS queued tickets of every type (10 % from gold
 * customers) into ticket-service's database, as the services would have written them; the
 * running ticket-service routes them. Agents are simulated at the database: every 50 ms every
 * offer out is accepted, as an agent pressing "accept" would. Prints routing decisions per second
 * until the backlog is gone, the decision time p50/p99 (ticket-service's own timer), how many
 * tickets each agent ended with (load spread), and the database's transactions per second next to
 * this machine's single-row update rate measured in the same run.
 *
 * java -cp "ticket-service/target/quarkus-app/lib/main/*" deploy/bench/RoutingBenchmark.java JDBC_URL TICKET_SERVICE_URL AGENTS TICKETS REPORT
 */
public class RoutingBenchmark {

    private static final int REGIONS = 20;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String service = args[1];
        int agents = Integer.parseInt(args[2]);
        int tickets = Integer.parseInt(args[3]);
        Path report = Path.of(args[4]);
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres")) {
            db.setAutoCommit(true);
            double updateRate = updateRate(url);
            System.out.printf("machine limit: %.0f single-row updates/s (8 connections, %s s)%n", updateRate, System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "10"));
            try (Statement s = db.createStatement()) {
                clean(s);
                // Nothing else competes for these agents: the platform's own agents step aside and its waiting
                // tickets wait a day (put back at the end), so the bench agents' capacity is the bench's alone.
                s.execute("UPDATE agent SET presence = 'offline', offer_ticket = NULL WHERE presence = 'available'");
                s.execute("UPDATE routing_state SET next_check_at = now() + interval '1 day' WHERE ticket_id NOT LIKE 'TT-RB-%'");
                s.execute("""
                        INSERT INTO agent (agent_id, regions, skills, seniority, capacity, presence, presence_since, updated_at)
                        SELECT 'bench-a-' || n, 'bench-r' || (n %% %1$d),
                               json_build_object('complaint', 2 + (n / %1$d) %% 2, 'faultRepair', 1 + (n / %1$d) %% 3,
                                   'service', 1 + (n / (3 * %1$d)) %% 3)::text,
                               1 + (n / %1$d) %% 3, '{"total": 11}', 'available', now(), now()
                        FROM generate_series(0, %2$d - 1) AS n""".formatted(REGIONS, agents));
                s.execute("""
                        INSERT INTO trouble_ticket (id, request_id, ticket_type, description, severity, priority, status, channel,
                            customer_id, customer_tier, region, creation_date, last_update, expected_resolution_date, sequence, log)
                        SELECT 'TT-RB-%1$s-' || n, gen_random_uuid(),
                               (ARRAY['complaint', 'faultRepair', 'consultation', 'businessRequest'])[1 + (n / %2$d) %% 4],
                               'Benchmark: routing backlog', 'minor', (ARRAY['low', 'medium', 'high', 'urgent'])[1 + (n / %2$d / 4) %% 4],
                               'acknowledged', 'app', 'bench-c-' || (n %% 50000),
                               CASE WHEN (n / %2$d) %% 10 = 0 THEN 'gold' ELSE 'standard' END,
                               'bench-r' || (n %% %2$d), now(), now(), now() + make_interval(mins => 30 + n %% 600), 1,
                               '{"statusHistory":[],"notes":[]}'
                        FROM generate_series(0, %3$d - 1) AS n""".formatted(run, REGIONS, tickets));
                s.execute("""
                        INSERT INTO routing_state (ticket_id, queue, target, target_since, order_key, next_check_at,
                            unowned_limit_at, queued_at)
                        SELECT id, CASE ticket_type WHEN 'complaint' THEN 'complaints' WHEN 'faultRepair' THEN 'faults' ELSE 'service' END,
                               CASE WHEN customer_tier = 'gold' OR ticket_type = 'faultRepair' THEN 0 ELSE 1 END,
                               now(), extract(epoch FROM expected_resolution_date)::bigint, now(), now() + interval '1 day', now()
                        FROM trouble_ticket WHERE id LIKE 'TT-RB-%1$s-%%'""".formatted(run));
                s.execute("ANALYZE agent");
                s.execute("ANALYZE routing_state");
                s.execute("ANALYZE trouble_ticket");
            }
            System.out.printf("loaded %,d agents and %,d queued tickets%n", agents, tickets);

            AtomicBoolean done = new AtomicBoolean();
            AtomicLong accepted = new AtomicLong();
            Thread acceptor = new Thread(() -> acceptOffers(url, done, accepted));
            long transactionsBefore = transactions(db);
            long started = System.nanoTime();
            acceptor.start();
            long remaining = tickets;
            long deadline = started + Math.max(150, tickets / 50) * 1_000_000_000L;
            while (remaining > 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                remaining = count(db, "SELECT count(*) FROM routing_state WHERE ticket_id LIKE 'TT-RB-" + run + "-%'");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            done.set(true);
            acceptor.join();
            long transactionsAfter = transactions(db);

            long offered = count(db, "SELECT count(*) FROM routing_decision WHERE ticket_id LIKE 'TT-RB-" + run + "-%' AND outcome = 'offered'");
            long assigned = count(db, "SELECT count(*) FROM trouble_ticket WHERE id LIKE 'TT-RB-" + run + "-%' AND assignee IS NOT NULL");
            double[] spread = spread(db, run, agents);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double p50 = quantile(metrics, "0.5");
            double p99 = quantile(metrics, "0.99");

            List<String> lines = new ArrayList<>();
            lines.add("| | value | limit or reference |");
            lines.add("|---|---|---|");
            lines.add(String.format("| agents (available, capacity 11 each) | %,d | |", agents));
            lines.add(String.format("| queued tickets | %,d | |", tickets));
            lines.add(String.format("| tickets routed and accepted | %,d | every one |", assigned));
            lines.add(String.format("| offers made | %,d | |", offered));
            lines.add(String.format("| seconds to empty the queue | %.1f | |", seconds));
            lines.add(String.format("| routing decisions per second | %,.0f | |", offered / seconds));
            lines.add(String.format("| decision time p50 | %.2f ms | |", p50 * 1000));
            lines.add(String.format("| decision time p99 | %.2f ms | |", p99 * 1000));
            lines.add(String.format("| tickets per agent: min / median / max | %.0f / %.0f / %.0f | capacity 11 |", spread[0], spread[1], spread[2]));
            lines.add(String.format("| tickets per agent: coefficient of variation | %.2f | 0 = perfectly even |", spread[3]));
            lines.add(String.format("| database transactions per second | %,.0f | |", (transactionsAfter - transactionsBefore) / seconds));
            lines.add(String.format("| machine: single-row updates/s (8 connections) | %,.0f | |", updateRate));
            Files.writeString(report, String.join("\n", lines) + "\n");
            lines.forEach(System.out::println);
            try (Statement s = db.createStatement()) {
                clean(s);
                s.execute("UPDATE routing_state SET next_check_at = now() WHERE next_check_at > now() + interval '20 hours'");
            }
            if (assigned != tickets) {
                System.err.printf("%d tickets were queued but %d were routed%n", tickets, assigned);
                System.exit(1);
            }
        }
    }

    /** Removes what a run (or an interrupted one) left; the running router may hold some rows a moment, so a deadlock is retried. */
    private static void clean(Statement s) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                s.execute("UPDATE agent SET presence = 'offline' WHERE agent_id LIKE 'bench-a-%'");
                s.execute("DELETE FROM routing_state WHERE ticket_id LIKE 'TT-RB-%'");
                s.execute("DELETE FROM routing_decision WHERE ticket_id LIKE 'TT-RB-%'");
                s.execute("DELETE FROM outbox_event WHERE aggregate_id LIKE 'TT-RB-%'");
                s.execute("DELETE FROM trouble_ticket WHERE id LIKE 'TT-RB-%'");
                s.execute("DELETE FROM agent WHERE agent_id LIKE 'bench-a-%'");
                return;
            } catch (java.sql.SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }

    /** The simulated agents: every offer out to a bench agent is accepted, in one transaction per round. */
    private static void acceptOffers(String url, AtomicBoolean done, AtomicLong accepted) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            while (!done.get()) {
                c.setAutoCommit(false);
                s.execute("""
                        CREATE TEMP TABLE IF NOT EXISTS taken (ticket_id varchar(32), agent_id varchar(64)) ON COMMIT DELETE ROWS""");
                int n = s.executeUpdate("""
                        INSERT INTO taken SELECT ticket_id, offered_to FROM routing_state
                        WHERE offered_to LIKE 'bench-a-%' FOR UPDATE SKIP LOCKED""");
                if (n > 0) {
                    // What the accept endpoint does: the ticket is the agent's, leaves routing, their offer slot is
                    // free again, and the most urgent tickets waiting in their region are looked at now.
                    s.executeUpdate("UPDATE trouble_ticket t SET assignee = k.agent_id FROM taken k WHERE t.id = k.ticket_id");
                    s.executeUpdate("DELETE FROM routing_state r USING taken k WHERE r.ticket_id = k.ticket_id");
                    s.executeUpdate("UPDATE agent a SET offer_ticket = NULL FROM taken k WHERE a.agent_id = k.agent_id "
                            + "AND a.offer_ticket = k.ticket_id");
                    s.executeUpdate("""
                            UPDATE routing_state SET next_check_at = now() WHERE ticket_id IN (
                                SELECT s.ticket_id FROM routing_state s JOIN trouble_ticket t ON t.id = s.ticket_id
                                WHERE s.offered_to IS NULL AND s.next_check_at > now()
                                  AND t.region IN (SELECT a.regions FROM agent a JOIN taken k ON k.agent_id = a.agent_id)
                                ORDER BY s.order_key LIMIT 20 * (SELECT count(*) FROM taken))""");
                    accepted.addAndGet(n);
                }
                c.commit();
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** min, median, max and coefficient of variation of the bench tickets per bench agent (agents with none count). */
    private static double[] spread(Connection db, String run, int agents) throws Exception {
        List<Long> counts = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("""
                SELECT count(t.id) FROM agent a LEFT JOIN trouble_ticket t ON t.assignee = a.agent_id AND t.id LIKE 'TT-RB-%s-%%'
                WHERE a.agent_id LIKE 'bench-a-%%' GROUP BY a.agent_id ORDER BY 1""".formatted(run))) {
            while (r.next()) {
                counts.add(r.getLong(1));
            }
        }
        double mean = counts.stream().mapToLong(Long::longValue).average().orElse(0);
        double variance = counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).average().orElse(0);
        return new double[] {counts.get(0), counts.get(counts.size() / 2), counts.get(counts.size() - 1),
                mean == 0 ? 0 : Math.sqrt(variance) / mean};
    }

    private static double quantile(String metrics, String q) {
        Matcher m = Pattern.compile("ticket_routing_decision_seconds\\{[^}]*quantile=\"" + Pattern.quote(q) + "\"[^}]*} ([0-9.Ee+-]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static long count(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long transactions(Connection db) throws Exception {
        Thread.sleep(1_500); // backends flush their statistics about once a second
        return count(db, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
    }

    private static double updateRate(String url) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_update_limit (id int PRIMARY KEY, n bigint NOT NULL)");
            s.execute("INSERT INTO bench_update_limit SELECT g, 0 FROM generate_series(0, 7999) g ON CONFLICT DO NOTHING");
        }
        AtomicLong updated = new AtomicLong();
        long end = System.nanoTime() + Long.parseLong(System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "10")) * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int offset = i * 1000;
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                        var update = c.prepareStatement("UPDATE bench_update_limit SET n = n + 1 WHERE id = ?")) {
                    int k = 0;
                    while (System.nanoTime() < end) {
                        update.setInt(1, offset + (k++ % 1000));
                        update.executeUpdate();
                        updated.incrementAndGet();
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
            s.execute("DROP TABLE bench_update_limit");
        }
        return updated.get() / 10.0;
    }
}
