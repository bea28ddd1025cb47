import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.ticket.routing.PolicyReplay;
import io.unichannel.ticket.routing.RoutingPolicies;
import io.unichannel.ticket.routing.RoutingPolicy;

/**
 * Puts a candidate routing policy beside the one in force, over the tickets the operator actually
 * had: every ticket opened in the last HOURS (optionally of one REGION), with its promised time and
 * how long it took to handle once accepted (resolution minus acceptance; tickets not resolved yet
 * take their type's median), over the agents' roster. Prints SLA attainment, waits and the load
 * spread for both.
 *
 * java -cp "ticket-service/target/quarkus-app/app/*:ticket-service/target/quarkus-app/lib/main/*" \
 *   deploy/bench/RoutingReplay.java JDBC_URL CURRENT_POLICY|shipped CANDIDATE_POLICY HOURS [REGION]
 */
public class RoutingReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        RoutingPolicy current = read(args[1]);
        RoutingPolicy candidate = read(args[2]);
        int hours = Integer.parseInt(args[3]);
        String region = args.length > 4 ? args[4] : null;
        List<PolicyReplay.Arrival> arrivals = new ArrayList<>();
        List<PolicyReplay.RosterAgent> roster = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres")) {
            List<Object[]> rows = new ArrayList<>();
            Map<String, List<Long>> handledByType = new HashMap<>();
            try (PreparedStatement q = db.prepareStatement("""
                    SELECT t.id, t.ticket_type, t.region, t.customer_tier, t.priority, t.creation_date, t.expected_resolution_date,
                           t.resolution_date,
                           (SELECT min(d.decided_at) FROM routing_decision d WHERE d.ticket_id = t.id AND d.outcome = 'accepted')
                    FROM trouble_ticket t WHERE t.creation_date >= now() - make_interval(hours => ?)
                      AND (CAST(? AS varchar) IS NULL OR t.region = ?) ORDER BY t.creation_date""")) {
                q.setInt(1, hours);
                q.setString(2, region);
                q.setString(3, region);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        OffsetDateTime created = r.getObject(6, OffsetDateTime.class);
                        OffsetDateTime resolved = r.getObject(8, OffsetDateTime.class);
                        OffsetDateTime accepted = r.getObject(9, OffsetDateTime.class);
                        Long handled = resolved == null ? null
                                : Math.max(60, Duration.between(accepted != null ? accepted : created, resolved).toSeconds());
                        if (handled != null) {
                            handledByType.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(handled);
                        }
                        rows.add(new Object[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                                created, r.getObject(7, OffsetDateTime.class), handled});
                    }
                }
            }
            for (Object[] row : rows) {
                Long handled = (Long) row[7];
                if (handled == null) {
                    List<Long> known = handledByType.getOrDefault((String) row[1], List.of());
                    handled = known.isEmpty() ? 1800L : known.stream().sorted().toList().get(known.size() / 2);
                }
                OffsetDateTime due = (OffsetDateTime) row[6];
                arrivals.add(new PolicyReplay.Arrival((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                        (String) row[4], ((OffsetDateTime) row[5]).toInstant(), due == null ? null : due.toInstant(),
                        Duration.ofSeconds(handled)));
            }
            try (PreparedStatement q = db.prepareStatement("SELECT agent_id, regions, skills, seniority, capacity FROM agent "
                    + "WHERE CAST(? AS varchar) IS NULL OR ',' || regions || ',' LIKE '%,' || ? || ',%' ORDER BY agent_id")) {
                q.setString(1, region);
                q.setString(2, region);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        Map<String, Integer> capacity = JSON.readValue(r.getString(5), new TypeReference<Map<String, Integer>>() { });
                        roster.add(new PolicyReplay.RosterAgent(r.getString(1), new LinkedHashSet<>(Arrays.asList(r.getString(2).split(","))),
                                JSON.readValue(r.getString(3), new TypeReference<Map<String, Integer>>() { }), r.getInt(4),
                                capacity.getOrDefault("total", 1)));
                    }
                }
            }
        }
        System.out.printf("Replaying %,d tickets of the last %d h%s over %,d agents%n%n", arrivals.size(), hours,
                region == null ? "" : " in " + region, roster.size());
        System.out.println("| policy | version | tickets | routed | promises kept | SLA attainment | wait p50 | wait p90 "
                + "| tickets per agent min / median / max | spread (CV) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        print("in force", PolicyReplay.replay(current, arrivals, roster));
        print("candidate", PolicyReplay.replay(candidate, arrivals, roster));
        System.out.println();
        System.out.println("Offers are taken at once and every agent of the roster counts as available: the replay compares");
        System.out.println("policies, not the agents' presence. Handling times are the recorded ones (resolution minus acceptance).");
    }

    private static void print(String which, PolicyReplay.Outcome o) {
        System.out.printf("| %s | %s | %,d | %,d | %,d | %.1f %% | %.1f min | %.1f min | %d / %d / %d | %.2f |%n", which,
                o.policyVersion(), o.tickets(), o.routed(), o.metPromise(), o.attainment(), o.waitP50Minutes(), o.waitP90Minutes(),
                o.minPerAgent(), o.medianPerAgent(), o.maxPerAgent(), o.spreadCv());
    }

    private static RoutingPolicy read(String file) throws Exception {
        if ("shipped".equals(file)) {
            try (InputStream in = RoutingPolicies.class.getResourceAsStream("/routing-policies.json")) {
                return RoutingPolicies.read(in);
            }
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return RoutingPolicies.read(in);
        }
    }
}
