import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the request path on the running platform (./platform bench):
 *
 * 1. latency from submitting a request on the app channel until its TroubleTicketCreateEvent
 *    arrives on a second client's (web) progress stream, at fixed request rates;
 * 2. the highest sustained intake rate at which that latency's p99 stays under 1 s.
 *
 * Open-loop load: requests are sent on schedule whether or not earlier ones have answered, so a
 * slow platform shows up as latency, not as a lower offered rate. Only JDK classes; run with
 * java RequestPathBenchmark.java GATEWAY_URL KEYCLOAK_URL REALM ADMIN_USER ADMIN_PASSWORD OUT_FILE
 */
public class RequestPathBenchmark {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"");
    static final Pattern EVENT_TYPE = Pattern.compile("\"eventType\":\"(\\w+)\"");

    static String gateway;
    static String[] adminCredentials;
    static String keycloak;
    static String realm;
    static final Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
    static final Map<UUID, Long> seenAt = new ConcurrentHashMap<>();
    /** Per stage, wall-clock milliseconds (one machine, one clock): sent, 202 received, ticket created, seen. */
    static final Map<UUID, Long> sentWall = new ConcurrentHashMap<>();
    static final Map<UUID, Long> acceptedWall = new ConcurrentHashMap<>();
    static final Map<UUID, Long> ticketWall = new ConcurrentHashMap<>();
    static final Map<UUID, Long> seenWall = new ConcurrentHashMap<>();
    static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

    /** One load step's outcome. */
    record Step(int rate, int seconds, int sent, int accepted, int failed, int refused, int seen,
            double acceptedPerSecond, double p50, double p95, double p99, double max, double[] acceptStage,
            double[] ticketStage, double[] streamStage, Map<String, Double> cpuSeconds) {
        /** Sustained: every request accepted and seen on the other channel, p99 under a second. */
        boolean meetsTarget() {
            return failed == 0 && seen >= accepted && p99 < 1000 && acceptedPerSecond >= rate * 0.95;
        }

        /** CPU milliseconds a part spent per accepted request in this step. */
        double cpuMsPerRequest(String part) {
            return accepted == 0 ? Double.NaN : 1000 * cpuSeconds.getOrDefault(part, 0.0) / accepted;
        }
    }

    /** Parts of the platform whose CPU is counted per step (null when no parts file was given). */
    static ProcessCpu cpu;

    /** Channel clients that need their secret to sign a customer in. */
    static final java.util.Set<String> CONFIDENTIAL = java.util.Set.of("channel-web");

    public static void main(String[] args) throws Exception {
        gateway = args[0];
        keycloak = args[1];
        realm = args[2];
        String adminUser = args[3];
        String adminPassword = args[4];
        Path out = Path.of(args[5]);
        int[] latencyRates = parse(System.getenv().getOrDefault("BENCH_LATENCY_RATES", "50,100,200"));
        int maxIntakeSteps = Integer.parseInt(System.getenv().getOrDefault("BENCH_INTAKE_STEPS", "12"));
        String parts = System.getenv("BENCH_PARTS_FILE");
        cpu = parts == null || parts.isBlank() ? null : ProcessCpu.fromFile(Path.of(parts));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));

        adminCredentials = new String[] {adminUser, adminPassword};
        // The services' JIT compilers compete for the same two cores as everything else: a service
        // just started runs interpreted and its compiler takes a core. Warm up closed-loop (a few
        // clients, each sending its next request when the last is answered) so every code path is
        // compiled without piling up a backlog that would spill into the measured steps.
        int warmUpSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "45"));
        int warmUpClients = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_CLIENTS", "4"));
        System.out.printf("warm-up (not in the report): %d clients closed-loop for %d s: %d requests answered%n",
                warmUpClients, warmUpSeconds, warmUp(warmUpClients, warmUpSeconds));

        List<Step> latency = new ArrayList<>();
        for (int rate : latencyRates) {
            latency.add(runStep(rate, seconds));
        }
        // The intake search goes on up from where the latency steps end (or down from where they
        // failed) until a step misses: the last one that held is the sustained intake.
        List<Step> intake = new ArrayList<>();
        boolean latencyHeld = latency.stream().allMatch(Step::meetsTarget);
        int rate = latencyRates[latencyRates.length - 1];
        for (int n = 0; n < maxIntakeSteps; n++) {
            rate = latencyHeld ? (int) Math.ceil(rate * 1.25 / 10.0) * 10 : Math.max(1, rate / 2);
            Step step = runStep(rate, Math.max(10, seconds * 3 / 4));
            intake.add(step);
            if (latencyHeld != step.meetsTarget() || !latencyHeld && rate == 1) {
                break;
            }
        }
        List<Step> all = new ArrayList<>(latency);
        all.addAll(intake);
        Step best = all.stream().filter(Step::meetsTarget).max(java.util.Comparator.comparingInt(Step::rate)).orElse(null);
        int refused = all.stream().mapToInt(Step::refused).sum();

        StringBuilder report = new StringBuilder();
        report.append("## Request path (").append(LocalDateTime.now().withNano(0)).append(")\n\n")
                .append("Submit on the app channel -> TroubleTicketCreateEvent on the same customer's web progress "
                        + "stream (SSE), through channel-gateway, Kafka, ticket-service, PostgreSQL and the outbox relay.\n\n")
                .append("| phase | offered req/s | seconds | accepted | failed | accepted req/s | p50 ms | p95 ms | p99 ms | max ms | step |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        latency.forEach(s -> row(report, "latency", s));
        intake.forEach(s -> row(report, "intake", s));
        report.append("\nWhere the time goes, p50 / p99 ms per stage: submit to 202 (gateway, Kafka acks=all); "
                + "submit to ticket created (Kafka, ticket-service, PostgreSQL); ticket created to the web stream "
                + "(outbox relay, Kafka, gateway, SSE).\n\n")
                .append("| phase | offered req/s | to 202 | to ticket | ticket to stream | step |\n|---|---|---|---|---|---|\n");
        latency.forEach(s -> stageRow(report, "latency", s));
        intake.forEach(s -> stageRow(report, "intake", s));
        if (cpu != null) {
            report.append("\nCPU per request, ms, per process (from /proc, the step's whole time including its drain; "
                    + "what the machine spent at rest meanwhile is included):\n\n| phase | offered req/s |");
            cpu.parts().forEach(p -> report.append(' ').append(p).append(" |"));
            report.append(" services | all |\n|---|---|").append("---|".repeat(cpu.parts().size() + 2)).append('\n');
            latency.forEach(st -> cpuRow(report, "latency", st));
            intake.forEach(st -> cpuRow(report, "intake", st));
        }
        report.append("\nA step holds when every request was accepted (no refusal, no time-out), every one reached the "
                + "other channel's stream, and p99 stayed under 1 s. Steps that failed: ")
                .append(all.stream().filter(st -> !st.meetsTarget()).map(st -> st.rate + " req/s" + (st.failed > 0
                        ? " (" + st.failed + " of " + st.sent + " failed)" : st.seen < st.accepted
                        ? " (" + (st.accepted - st.seen) + " never reached the stream)" : " (p99 over 1 s)"))
                        .reduce((a, b) -> a + ", " + b).orElse("none")).append(".\n");
        report.append("\nHighest sustained intake with p99 < 1 s: ")
                .append(best == null ? "none of the steps" : String.format("%.0f req/s (offered %d)", best.acceptedPerSecond, best.rate))
                .append("\n");
        System.out.print(report);
        if (refused > 0) {
            // 429s measure the gateway's per-customer limits, not the platform: no report.
            System.out.println("INVALID: the gateway refused " + refused + " requests with 429 (a person's intake limits "
                    + "are in force); no report written");
            System.exit(3);
        }
        Files.writeString(out, report.toString());
    }

    static void cpuRow(StringBuilder report, String phase, Step s) {
        report.append("| ").append(phase).append(" | ").append(s.rate).append(" |");
        double services = 0;
        double all = 0;
        for (String part : cpu.parts()) {
            double ms = s.cpuMsPerRequest(part);
            report.append(String.format(" %.2f |", ms));
            all += ms;
            if (part.endsWith("-service") || part.startsWith("channel-gateway") || part.contains("-service-")) {
                services += ms;
            }
        }
        report.append(String.format(" %.2f | **%.2f** |%n", services, all));
    }

    /** Closed-loop submissions of one customer, followed on the web stream; answers how many were accepted. */
    static int warmUp(int clients, int seconds) throws Exception {
        String admin = token("master", "admin-cli", adminCredentials[0], adminCredentials[1]);
        String username = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Bench-" + UUID.randomUUID();
        createCustomer(admin, username, password);
        String appToken = token(realm, "channel-app", username, password);
        Thread follower = follow(token(realm, "channel-web", username, password));
        AtomicInteger accepted = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests"))
                                .header("Authorization", "Bearer " + appToken).header("Content-Type", "application/json")
                                .header("Idempotency-Key", "warm-" + UUID.randomUUID()).timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"requestType\":\"complaint\",\"description\":\"Charged twice for roaming\"}"))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 202) {
                            accepted.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // A time-out while cold: the next request tries again.
                    }
                }
            });
            client.start();
            threads.add(client);
        }
        for (Thread client : threads) {
            client.join();
        }
        // What the warm-up queued drains before the first measured step.
        Thread.sleep(10_000);
        follower.interrupt();
        return accepted.get();
    }

    /** Each step has its own customer, so its progress stream carries only that step's requests. */
    static Step runStep(int rate, int seconds) throws Exception {
        String admin = token("master", "admin-cli", adminCredentials[0], adminCredentials[1]);
        String username = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Bench-" + UUID.randomUUID();
        createCustomer(admin, username, password);
        String appToken = token(realm, "channel-app", username, password);
        // The web channel is a confidential client (its server side exchanges and holds tokens).
        String webToken = token(realm, "channel-web", username, password);
        String subject = claim(appToken, "sub");
        for (Map<UUID, Long> map : List.of(sentAt, seenAt, sentWall, acceptedWall, ticketWall, seenWall)) {
            map.clear();
        }
        Thread follower = follow(webToken);
        Thread.sleep(500);

        int total = rate * seconds;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Map<String, Double> cpuBefore = cpu == null ? Map.of() : cpu.sample();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        long[] firstAndLastAccept = {0, 0};
        for (int i = 0; i < total; i++) {
            String key = "bench-" + UUID.randomUUID();
            UUID requestId = UUID.nameUUIDFromBytes((subject + "|" + key).getBytes(StandardCharsets.UTF_8));
            scheduler.schedule(() -> {
                sentAt.put(requestId, System.nanoTime());
                sentWall.put(requestId, System.currentTimeMillis());
                HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests"))
                                .header("Authorization", "Bearer " + appToken).header("Content-Type", "application/json")
                                .header("Idempotency-Key", key).timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"requestType\":\"complaint\",\"description\":\"Charged twice for roaming\"}"))
                                .build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> {
                            if (error == null && response.statusCode() == 202) {
                                acceptedWall.put(requestId, System.currentTimeMillis());
                                accepted.incrementAndGet();
                                synchronized (firstAndLastAccept) {
                                    firstAndLastAccept[1] = System.nanoTime();
                                }
                            } else {
                                if (error == null && response.statusCode() == 429) {
                                    refused.incrementAndGet();
                                }
                                if (failed.incrementAndGet() == 1) {
                                    System.out.println("first refusal: " + (error != null ? error
                                            : "HTTP " + response.statusCode()));
                                }
                                sentAt.remove(requestId);
                            }
                        });
            }, start + i * periodNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        scheduler.shutdown();
        scheduler.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((accepted.get() + failed.get() < total || !seenAt.keySet().containsAll(sentAt.keySet()))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        follower.interrupt();
        Map<String, Double> cpuSpent = cpu == null ? Map.of() : ProcessCpu.between(cpuBefore, cpu.sample());
        double elapsed = Math.max(seconds, (firstAndLastAccept[1] - start) / 1e9);
        double[] latencies = sentAt.entrySet().stream().filter(e -> seenAt.containsKey(e.getKey()))
                .mapToDouble(e -> (seenAt.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
        Step step = new Step(rate, seconds, total, accepted.get(), failed.get(), refused.get(), latencies.length,
                accepted.get() / elapsed, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1],
                stage(sentWall, acceptedWall), stage(sentWall, ticketWall), stage(ticketWall, seenWall), cpuSpent);
        System.out.printf("rate %5d/s: accepted %d/%d, seen %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%s%n",
                rate, step.accepted, total, step.seen, step.p50, step.p95, step.p99,
                step.meetsTarget() ? "" : " -- FAILING at this rate");
        Thread.sleep(2_000);
        return step;
    }

    /** A second client of the same customer following every request's progress. */
    static Thread follow(String webToken) {
        Thread thread = new Thread(() -> {
            try {
                HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(gateway + "/api/v1/customers/me/events"))
                        .header("Authorization", "Bearer " + webToken).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while (!Thread.currentThread().isInterrupted() && (line = reader.readLine()) != null) {
                        if (line.startsWith("data:") && line.contains("TroubleTicketCreateEvent")) {
                            Matcher id = REQUEST_ID.matcher(line);
                            Matcher type = EVENT_TYPE.matcher(line);
                            if (id.find() && type.find() && "TroubleTicketCreateEvent".equals(type.group(1))) {
                                UUID seen = UUID.fromString(id.group(1));
                                seenAt.putIfAbsent(seen, System.nanoTime());
                                seenWall.putIfAbsent(seen, System.currentTimeMillis());
                                Matcher time = TIME.matcher(line);
                                if (time.find()) {
                                    ticketWall.putIfAbsent(seen, java.time.OffsetDateTime.parse(time.group(1))
                                            .toInstant().toEpochMilli());
                                }
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    System.err.println("progress stream failed: " + e);
                }
            }
        }, "web-follower");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** p50 and p99 of the time from one stage to the next, over the requests that reached both. */
    static double[] stage(Map<UUID, Long> from, Map<UUID, Long> to) {
        double[] d = from.entrySet().stream().filter(e -> to.containsKey(e.getKey()))
                .mapToDouble(e -> to.get(e.getKey()) - e.getValue()).sorted().toArray();
        return new double[] {pct(d, 50), pct(d, 99)};
    }

    static void stageRow(StringBuilder report, String phase, Step s) {
        if (!s.meetsTarget()) {
            // A rate the path did not hold has no stage times worth reading as a result.
            report.append(String.format("| %s | %d | failed | failed | failed | **failing** |%n", phase, s.rate));
            return;
        }
        report.append(String.format("| %s | %d | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %s |%n", phase, s.rate,
                s.acceptStage[0], s.acceptStage[1], s.ticketStage[0], s.ticketStage[1], s.streamStage[0], s.streamStage[1],
                s.meetsTarget() ? "holds" : "**failing**"));
    }

    static void row(StringBuilder report, String phase, Step s) {
        report.append(String.format("| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s |%n", phase, s.rate,
                s.seconds, s.accepted, s.failed, s.acceptedPerSecond, s.p50, s.p95, s.p99, s.max,
                s.meetsTarget() ? "holds" : "**failing**"));
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String token(String tokenRealm, String client, String username, String password) throws Exception {
        String form = "grant_type=password&client_id=" + client + "&username=" + enc(username) + "&password="
                + enc(password) + "&scope=openid";
        if (CONFIDENTIAL.contains(client)) {
            form += "&client_secret=" + enc(System.getenv().getOrDefault("BENCH_" + client.toUpperCase().replace('-', '_')
                    + "_SECRET", client + "-local-secret"));
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak + "/realms/" + tokenRealm
                        + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("sign-in on " + client + " failed: " + response.body());
        }
        return m.group(1);
    }

    static void createCustomer(String adminToken, String username, String password) throws Exception {
        String base = keycloak + "/admin/realms/" + realm;
        String user = "{\"username\":\"" + username + "\",\"enabled\":true,\"email\":\"" + username
                + "@bench.test\",\"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":\"Customer\","
                + "\"credentials\":[{\"type\":\"password\",\"value\":\"" + password + "\",\"temporary\":false}]}";
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/users"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(user)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the bench customer failed: " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> role = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/roles/customer"))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        HTTP.send(HttpRequest.newBuilder(URI.create(location + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + role.body() + "]")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    static String claim(String jwt, String name) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(payload);
        if (!m.find()) {
            throw new IllegalStateException("token has no " + name);
        }
        return m.group(1);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static int[] parse(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
