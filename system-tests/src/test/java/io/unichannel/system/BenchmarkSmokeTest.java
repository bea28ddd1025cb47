package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.PlatformInfra;
import io.unichannel.common.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * Runs the request-path benchmark of {@code ./platform bench} at tiny rates against a gateway and
 * a ticket-service started from their jars, so the benchmark cannot rot unnoticed: every request
 * it sends must be accepted and seen on the other channel's stream, and its report must carry
 * numbers for every step and stage.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BenchmarkSmokeTest {

    /**
     * Two ticket-service replicas on the benchmarks' own database and consumer groups, started
     * once for the SLA timer and hub benchmarks, which run last: each must hold with replicas (a
     * stage fires once, an event is delivered once). The routing benchmark runs before them on one
     * replica of its own, as `./platform bench routing` does (its report reads that replica's
     * decision timer).
     */
    private static ServiceProcess[] ticketReplicas;

    static synchronized ServiceProcess[] ticketReplicas() {
        if (ticketReplicas == null) {
            Map<String, String> settings = Map.of("DB_NAME", "ticket_scale",
                    "MP_MESSAGING_INCOMING_CHANNEL_REQUESTS_GROUP_ID", "ticket-service-bench",
                    "MP_MESSAGING_INCOMING_IDENTITY_EVENTS_GROUP_ID", "ticket-service-bench",
                    "MP_MESSAGING_INCOMING_SURVEY_EVENTS_GROUP_ID", "ticket-service-bench",
                    "MP_MESSAGING_INCOMING_HUB_TICKET_EVENTS_GROUP_ID", "ticket-service-bench",
                    "MP_MESSAGING_INCOMING_HUB_TICKET_EVENTS_AUTO_OFFSET_RESET", "earliest", "HUB_POLL_INTERVAL", "200ms");
            ServiceProcess first = ServiceProcess.of("ticket-service", settings);
            ServiceProcess second = ServiceProcess.of("ticket-service", settings);
            ticketReplicas = new ServiceProcess[] {first, second};
            ServiceProcess.startAll(List.of(first, second));
        }
        return ticketReplicas;
    }

    @org.junit.jupiter.api.AfterAll
    static void stopReplicas() {
        if (ticketReplicas != null) {
            for (ServiceProcess replica : ticketReplicas) {
                replica.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theRequestPathBenchmarkRunsAndReportsEveryStep() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("bench");
        // As `./platform bench traced` runs it: the services export every span to the bench's OTLP sink.
        Process sink = new ProcessBuilder("java", "../deploy/bench/OtlpSink.java", "0").redirectErrorStream(true).start();
        java.io.BufferedReader sinkOut = new java.io.BufferedReader(new java.io.InputStreamReader(sink.getInputStream()));
        String listening = sinkOut.readLine();
        assertThat(listening).as("the OTLP sink started").startsWith("listening on ");
        String sinkUrl = "http://127.0.0.1:" + listening.substring("listening on ".length());
        Map<String, String> tracing = Map.of("OTEL_SDK_DISABLED", "false", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", sinkUrl,
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        Map<String, String> ticketSettings = new java.util.HashMap<>(deployment.ticketSettings());
        ticketSettings.putAll(tracing);
        Map<String, String> gatewaySettings = new java.util.HashMap<>(deployment.gatewaySettings());
        gatewaySettings.putAll(tracing);
        try (ServiceProcess tickets = ServiceProcess.of("ticket-service", ticketSettings);
                ServiceProcess gateway = ServiceProcess.of("channel-gateway", gatewaySettings)) {
            ServiceProcess.startAll(List.of(tickets, gateway));
            Path report = Files.createTempFile("request-path", ".md");
            Path output = Files.createTempFile("request-path", ".log");
            // Compiled and run as `./platform bench` does: the benchmark and its /proc CPU reader together.
            Path classes = Files.createTempDirectory("request-path-classes");
            Process javac = new ProcessBuilder("javac", "-nowarn", "-d", classes.toString(),
                    "../deploy/bench/RequestPathBenchmark.java", "../deploy/bench/ProcessCpu.java")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(javac.waitFor(2, TimeUnit.MINUTES) && javac.exitValue() == 0).as(Files.readString(output)).isTrue();
            Path parts = Files.createTempFile("request-path", ".parts");
            Files.writeString(parts, "ticket-service " + tickets.pid() + "\nchannel-gateway " + gateway.pid() + "\n");
            ProcessBuilder bench = new ProcessBuilder("java", "-Xmx256m", "-cp", classes.toString(), "RequestPathBenchmark",
                    gateway.baseUrl(), PlatformInfra.keycloakUrl(), PlatformInfra.realm(),
                    PlatformInfra.keycloakAdminUser(), PlatformInfra.keycloakAdminPassword(), report.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bench.environment().putAll(Map.of("BENCH_WARMUP_CLIENTS", "1", "BENCH_WARMUP_SECONDS", "2",
                    "BENCH_LATENCY_RATES", "5", "BENCH_INTAKE_STEPS", "1", "BENCH_SECONDS", "3",
                    "BENCH_PARTS_FILE", parts.toString()));
            Process process = bench.start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("benchmark finished").isTrue();
            assertThat(process.exitValue()).as(Files.readString(output)).isZero();

            String text = Files.readString(report);
            System.out.println(Files.readString(output));
            // | phase | offered | seconds | accepted | failed | accepted/s | p50 | p95 | p99 | max |
            Matcher latency = Pattern.compile("\\| latency \\| 5 \\| 3 \\| (\\d+) \\| (\\d+) \\| [\\d.]+ \\| [\\d.]+ \\|"
                    + " [\\d.]+ \\| ([\\d.]+) \\|").matcher(text);
            assertThat(latency.find()).as(text).isTrue();
            assertThat(latency.group(1)).as("accepted; benchmark said:%n%s", Files.readString(output)).isEqualTo("15");
            assertThat(latency.group(2)).as("failed").isEqualTo("0");
            assertThat(Double.parseDouble(latency.group(3))).as("p99 ms").isPositive().isLessThan(10_000);
            assertThat(text).containsPattern("\\| latency \\| 5 \\| \\d+ / \\d+ \\| \\d+ / \\d+ \\| \\d+ / \\d+ \\|");
            // The intake search goes on up from the last latency step that held.
            assertThat(text).contains("| intake | 10 |").contains("Highest sustained intake with p99 < 1 s: ");
            // CPU per request of each process named, from /proc: the gateway and ticket-service spent some.
            Matcher cpu = Pattern.compile("\\| latency \\| 5 \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| \\*\\*([\\d.]+)\\*\\* \\|")
                    .matcher(text);
            assertThat(cpu.find()).as(text).isTrue();
            assertThat(Double.parseDouble(cpu.group(1))).as("ticket-service CPU ms per request").isPositive();
            assertThat(Double.parseDouble(cpu.group(2))).as("gateway CPU ms per request").isPositive();
            // Every service of the path exported its spans while the benchmark ran.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                String stats = new String(java.net.URI.create(sinkUrl + "/stats").toURL().openStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
                Matcher m = Pattern.compile("exports=(\\d+) bytes=(\\d+)").matcher(stats);
                return m.find() && Long.parseLong(m.group(1)) >= 2 && Long.parseLong(m.group(2)) > 1_000;
            });
        } finally {
            sink.destroy();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void theSlaTimerBenchmarkFiresEveryDueStageAndReportsItsCost() throws Exception {
        ticketReplicas();
        {
            Path report = Files.createTempFile("sla-timer", ".md");
            Path output = Files.createTempFile("sla-timer", ".log");
            ProcessBuilder bench = new ProcessBuilder("java", "-Xmx256m", "-cp", "../ticket-service/target/quarkus-app/lib/main/*",
                    "../deploy/bench/SlaTimerBenchmark.java", "jdbc:postgresql://127.0.0.1:"
                            + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_scale",
                    "2000", "20", "15", report.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bench.environment().put("BENCH_MACHINE_SECONDS", "2");
            Process process = bench.start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("benchmark finished").isTrue();
            assertThat(process.exitValue()).as(Files.readString(output)).isZero();
            String text = Files.readString(report);
            System.out.println(text);
            assertThat(text).contains("| warnings fired | 20 |");
            Matcher p99 = Pattern.compile("\\| firing lag p99 \\| (\\d+) ms \\|").matcher(text);
            assertThat(p99.find()).as(text).isTrue();
            assertThat(Long.parseLong(p99.group(1))).as("firing lag p99 ms").isLessThan(5_000);
            assertThat(text).containsPattern("\\| database per minute: sequential scans of trouble_ticket \\| \\d+ \\|")
                    .containsPattern("\\| machine: single-row inserts/s \\(8 connections\\) \\| [\\d,]+ \\|");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void theRoutingBenchmarkRoutesEveryTicketAndReportsDecisionTimeAndSpread() throws Exception {
        try (ServiceProcess tickets = ServiceProcess.of("ticket-service", Map.of("DB_NAME", "ticket_scale",
                "MP_MESSAGING_INCOMING_CHANNEL_REQUESTS_GROUP_ID", "ticket-service-routing-bench",
                "MP_MESSAGING_INCOMING_IDENTITY_EVENTS_GROUP_ID", "ticket-service-routing-bench",
                "MP_MESSAGING_INCOMING_SURVEY_EVENTS_GROUP_ID", "ticket-service-routing-bench",
                "MP_MESSAGING_INCOMING_HUB_TICKET_EVENTS_GROUP_ID", "ticket-service-routing-bench")).start()) {
            Path report = Files.createTempFile("routing", ".md");
            Path output = Files.createTempFile("routing", ".log");
            ProcessBuilder bench = new ProcessBuilder("java", "-Xmx256m", "-cp", "../ticket-service/target/quarkus-app/lib/main/*",
                    "../deploy/bench/RoutingBenchmark.java", "jdbc:postgresql://127.0.0.1:"
                            + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_scale", tickets.baseUrl(),
                    "60", "240", report.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bench.environment().put("BENCH_MACHINE_SECONDS", "2");
            Process process = bench.start();
            assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("benchmark finished").isTrue();
            assertThat(process.exitValue()).as(Files.readString(output)).isZero();
            String text = Files.readString(report);
            System.out.println(text);
            assertThat(text).contains("| tickets routed and accepted | 240 |");
            Matcher rate = Pattern.compile("\\| routing decisions per second \\| ([\\d,]+) \\|").matcher(text);
            assertThat(rate.find()).as(text).isTrue();
            assertThat(Long.parseLong(rate.group(1).replace(",", ""))).isPositive();
            assertThat(text).containsPattern("\\| decision time p99 \\| [\\d.]+ ms \\|")
                    .containsPattern("\\| tickets per agent: min / median / max \\| \\d+ / \\d+ / \\d+ \\|")
                    .containsPattern("\\| machine: single-row updates/s \\(8 connections\\) \\| [\\d,]+ \\|");
        }
    }

    /** Two ticket-service replicas deliver the hub's events: each exactly once, every signature valid. */
    @Test
    @org.junit.jupiter.api.Order(6)
    void theHubBenchmarkDeliversEveryEventOnceFromTwoReplicas() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ServiceProcess first = ticketReplicas()[0];
        ServiceProcess second = ticketReplicas()[1];
        {
            Path report = Files.createTempFile("hub", ".md");
            Path output = Files.createTempFile("hub", ".log");
            ProcessBuilder bench = new ProcessBuilder("java", "-Xmx256m", "../deploy/bench/HubBenchmark.java",
                    first.baseUrl() + "," + second.baseUrl(), PlatformInfra.keycloakUrl(), PlatformInfra.realm(),
                    PlatformInfra.keycloakAdminUser(), PlatformInfra.keycloakAdminPassword(), "60", "4", report.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bench.environment().put("BENCH_MACHINE_SECONDS", "1");
            Process process = bench.start();
            assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("benchmark finished").isTrue();
            assertThat(process.exitValue()).as(Files.readString(output)).isZero();
            String text = Files.readString(report);
            System.out.println(text);
            assertThat(text).contains("| ticket-service replicas | 2 |").contains("| events delivered to the partner | 60 |")
                    .contains("| deliveries received twice | 0 |").contains("| deliveries with a bad signature | 0 |");
            Matcher p99 = Pattern.compile("\\| delivery latency p99 \\| ([\\d,]+) ms \\|").matcher(text);
            assertThat(p99.find()).as(text).isTrue();
            assertThat(Long.parseLong(p99.group(1).replace(",", ""))).as("delivery latency p99 ms").isLessThan(30_000);
            assertThat(text).containsPattern("\\| deliveries per second \\(first POST to last delivery\\) \\| [\\d,]+ \\|")
                    .containsPattern("\\| machine: signed POSTs/s .* \\| [\\d,]+ \\|");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void theSurveyBenchmarkInvitesEveryResolutionAndRecordsEveryAnswer() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        Path report = Files.createTempFile("surveys", ".md");
        Path output = Files.createTempFile("surveys", ".log");
        ProcessBuilder bench = new ProcessBuilder("java", "-Xmx256m", "-cp", "../survey-service/target/quarkus-app/lib/main/*",
                "../deploy/bench/SurveyBenchmark.java", PlatformInfra.kafkaBootstrapServers(), "jdbc:postgresql://127.0.0.1:"
                        + System.getenv().getOrDefault("DB_PORT", "15432") + "/survey_scale",
                Path.of("../survey-service/target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString(),
                Path.of("../survey-service/src/test/resources/questionnaires-test.json").toAbsolutePath().toString(),
                PlatformInfra.keycloakUrl(), "40", "2", report.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        bench.environment().put("BENCH_MACHINE_SECONDS", "2");
        Process process = bench.start();
        assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("benchmark finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        String text = Files.readString(report);
        System.out.println(text);
        assertThat(text).contains("| invitations sent | 40 |").contains("| answers recorded | 40 |");
        Matcher p99 = Pattern.compile("\\| invitation latency after resolution p99 \\| (\\d+) ms \\|").matcher(text);
        assertThat(p99.find()).as(text).isTrue();
        assertThat(Long.parseLong(p99.group(1))).as("invitation latency p99 ms").isLessThan(30_000);
        assertThat(text).containsPattern("\\| answers per second \\| [\\d,]+ \\|")
                .containsPattern("\\| machine: acknowledged Kafka produces/s .* \\| [\\d,]+ \\|")
                .containsPattern("\\| machine: PostgreSQL single-row inserts/s \\(8 connections\\) \\| [\\d,]+ \\|");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theAnalyticsBenchmarkCountsEveryEventAndReportsLagAndRate() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        Path report = Files.createTempFile("analytics", ".md");
        Path output = Files.createTempFile("analytics", ".log");
        Process process = new ProcessBuilder("java", "-Xmx256m", "-cp", "../analytics-service/target/quarkus-app/lib/main/*",
                "../deploy/bench/AnalyticsBenchmark.java", PlatformInfra.kafkaBootstrapServers(),
                Path.of("../analytics-service/target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString(),
                PlatformInfra.keycloakUrl(), "analytics_test", "50", "2", "500", report.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("benchmark finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        String text = Files.readString(report);
        System.out.println(text);
        assertThat(text).contains("| event-to-KPI lag p50 | ").contains("2 markers");
        Matcher p99 = Pattern.compile("\\| event-to-KPI lag p99 \\| (\\d+) ms \\|").matcher(text);
        assertThat(p99.find()).as(text).isTrue();
        assertThat(Long.parseLong(p99.group(1))).as("lag p99 ms").isLessThan(30_000);
        assertThat(text).containsPattern("\\| events processed per second \\| [\\d,]+ \\|")
                .containsPattern("\\| machine: Kafka consumer records/s .* \\| [\\d,]+ \\|");
    }
}
