package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.PlatformInfra;
import io.unichannel.common.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * The fault drill of {@code ./platform drill} at small scale, so it cannot rot unnoticed: its
 * customers submit at 5 requests a second while ticket-service is killed (SIGKILL, as a crashed pod)
 * and started again, and its judge must find every request accepted, each with exactly one ticket,
 * and say so in its report. The infrastructure faults (PostgreSQL, Kafka, Keycloak) are the
 * command's alone: here they would pull the shared test infrastructure from under other tests.
 */
class DrillSmokeTest {

    @Test
    void aKilledTicketServiceLosesNoRequestAndTheDrillSaysSo() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("drill");
        Path dir = Files.createTempDirectory("drill");
        Path output = dir.resolve("drill.log");
        Path classes = Files.createTempDirectory("drill-classes");
        Process javac = new ProcessBuilder("javac", "-nowarn", "-d", classes.toString(), "../deploy/bench/FaultDrill.java",
                "../deploy/bench/RequestPathBenchmark.java", "../deploy/bench/ProcessCpu.java")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(javac.waitFor(2, TimeUnit.MINUTES) && javac.exitValue() == 0).as(Files.readString(output)).isTrue();
        ServiceProcess tickets = ServiceProcess.of("ticket-service", deployment.ticketSettings());
        try (ServiceProcess gateway = ServiceProcess.of("channel-gateway", deployment.gatewaySettings())) {
            ServiceProcess.startAll(List.of(tickets, gateway));
            ProcessBuilder drill = new ProcessBuilder("java", "-Xmx256m", "-cp", classes.toString(), "FaultDrill", "run",
                    gateway.baseUrl(), PlatformInfra.keycloakUrl(), PlatformInfra.realm(), PlatformInfra.keycloakAdminUser(),
                    PlatformInfra.keycloakAdminPassword(), dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("traffic.log").toFile());
            drill.environment().putAll(Map.of("DRILL_RATE", "5", "DRILL_CUSTOMERS", "3", "DRILL_DRAIN_SECONDS", "120"));
            Process traffic = drill.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(dir.resolve("started")));
            long started = Long.parseLong(Files.readString(dir.resolve("started")).trim());
            Thread.sleep(5_000);

            long start = System.currentTimeMillis();
            tickets.kill();
            Thread.sleep(3_000);
            ServiceProcess restarted = ServiceProcess.of("ticket-service", deployment.ticketSettings());
            long lifted = System.currentTimeMillis();
            restarted.start();
            long ready = System.currentTimeMillis();
            tickets = restarted;
            Files.writeString(dir.resolve("faults.csv"),
                    "ticket-service|ticket-service killed (SIGKILL), then started again|" + start + "|" + lifted + "|" + ready + "\n");
            Thread.sleep(5_000);
            Files.writeString(dir.resolve("stop"), "");
            assertThat(traffic.waitFor(3, TimeUnit.MINUTES)).as("the drill's traffic finished").isTrue();
            assertThat(traffic.exitValue()).as(Files.readString(dir.resolve("traffic.log"))).isZero();

            long accepted = Files.readAllLines(dir.resolve("requests.csv")).stream().skip(1)
                    .filter(l -> Long.parseLong(l.split(",")[3]) > 0).count();
            assertThat(accepted).as("requests accepted").isGreaterThan(50);
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> ticketsSince(started).size() >= accepted);
            Files.writeString(dir.resolve("tickets.csv"), String.join("\n", ticketsSince(started)) + "\n");

            Process judge = new ProcessBuilder("java", "-cp", classes.toString(), "FaultDrill", "report", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("report.md").toFile()).start();
            assertThat(judge.waitFor(1, TimeUnit.MINUTES)).isTrue();
            String report = Files.readString(dir.resolve("report.md"));
            assertThat(judge.exitValue()).as(report).isZero();
            assertThat(report).containsPattern("\\| ticket-service \\| ticket-service killed \\(SIGKILL\\), then started again \\| "
                    + "\\d+ s \\| [1-9]\\d* \\| 0 \\| 0 \\| 0 \\|").contains("Every fault survived.");
        } finally {
            tickets.close();
        }
    }

    /** request_id,tickets,first ticket's creation (ms) of the tickets opened since the drill began, as the command exports them. */
    private static List<String> ticketsSince(long startedMillis) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/"
                + ScaleDeployment.TICKET_DB, "postgres", "postgres");
                var query = db.prepareStatement("SELECT request_id, count(*), floor(extract(epoch FROM min(creation_date)) * 1000) "
                        + "FROM trouble_ticket WHERE creation_date >= to_timestamp(? / 1000.0) GROUP BY request_id")) {
            query.setLong(1, startedMillis);
            List<String> rows = new java.util.ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1) + "," + r.getLong(2) + "," + r.getLong(3));
                }
            }
            return rows;
        }
    }
}
