package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The routing replay command puts a candidate policy beside the shipped one over recorded tickets
 * and agents: a policy that waits for seniors keeps fewer promises than the shipped one on the
 * same six complaints and two agents.
 */
class RoutingReplayTest {

    @Test
    void theReplayPrintsAttainmentForBothPoliciesOverTheSameTickets() throws Exception {
        String region = "rp-" + UUID.randomUUID().toString().substring(0, 8);
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/" + ScaleDeployment.TICKET_DB;
        // The scale database has the ticket schema once any packaged ticket-service has run on it; make sure one has.
        try (var tickets = io.unichannel.common.testing.ServiceProcess.of("ticket-service", ScaleDeployment.fresh("replay")
                .ticketSettings()).start()) {
            tickets.baseUrl();
        }
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = db.createStatement()) {
            s.execute("""
                    INSERT INTO agent (agent_id, regions, skills, seniority, capacity, presence, presence_since, updated_at) VALUES
                      ('%1$s-senior', '%1$s', '{"complaint": 3}', 3, '{"total": 1}', 'offline', now(), now()),
                      ('%1$s-junior', '%1$s', '{"complaint": 1}', 1, '{"total": 1}', 'offline', now(), now())""".formatted(region));
            s.execute("""
                    INSERT INTO trouble_ticket (id, request_id, ticket_type, description, severity, priority, status, channel,
                        customer_id, customer_tier, region, creation_date, last_update, expected_resolution_date, resolution_date,
                        sequence, log)
                    SELECT 'TT-RP-%1$s-' || n, gen_random_uuid(), 'complaint', 'Replay: billed twice', 'minor', 'medium', 'resolved',
                           'app', 'replay-c-' || n, 'standard', '%1$s', c, c, c + interval '65 minutes', c + interval '30 minutes', 3,
                           '{"statusHistory":[],"notes":[]}'
                    FROM (SELECT n, now() - interval '50 minutes' + make_interval(mins => n) AS c FROM generate_series(0, 5) n) t"""
                    .formatted(region));
        }
        Path candidate = Files.createTempFile("seniors-only", ".json");
        Files.writeString(candidate, """
                {"version": "seniors-only", "offerTimeoutSeconds": 60, "unownedLimitSeconds": 1800, "queues": [
                  {"name": "complaints", "ticketTypes": ["complaint"], "targets": [
                    {"name": "seniors", "agents": {"skill": "complaint", "minSkillLevel": 1, "minSeniority": 3, "sameRegion": true}}]}]}""");
        Path output = Files.createTempFile("replay", ".log");
        try {
            Process process = new ProcessBuilder("java", "-Xmx256m", "-cp",
                    "../ticket-service/target/quarkus-app/app/*:../ticket-service/target/quarkus-app/lib/main/*",
                    "../deploy/bench/RoutingReplay.java", url, "shipped", candidate.toString(), "2", region)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String text = Files.readString(output);
            System.out.println(text);
            assertThat(process.exitValue()).as(text).isZero();
            Matcher inForce = Pattern.compile("\\| in force \\| [^|]+ \\| 6 \\| 6 \\| (\\d+) \\|").matcher(text);
            Matcher seniors = Pattern.compile("\\| candidate \\| seniors-only \\| 6 \\| 6 \\| (\\d+) \\|").matcher(text);
            assertThat(inForce.find()).as(text).isTrue();
            assertThat(seniors.find()).as(text).isTrue();
            assertThat(Integer.parseInt(seniors.group(1))).as("promises kept by seniors only")
                    .isLessThan(Integer.parseInt(inForce.group(1)));
        } finally {
            try (Connection db = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = db.createStatement()) {
                s.execute("DELETE FROM trouble_ticket WHERE region = '" + region + "'");
                s.execute("DELETE FROM agent WHERE regions = '" + region + "'");
            }
        }
    }
}
