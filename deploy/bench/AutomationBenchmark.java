import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A workload for automatic handling: REQUESTS requests of the seeded BSS customers (sim-0001 …)
 * at RATE per second, a realistic mix: 40 % package changes (three in four to a package the
 * customer's catalogue entry allows, the rest to any package), 35 % bill questions (what
 * customers ask: why higher, roaming, a pack they did not order, extra data, a double charge, a
 * paper invoice) and 25 % fault reports. They go on channel-requests as the gateway puts them,
 * the running ticket-service decides, and the benchmark reads the decisions back from its
 * database: the share settled with no human step per rule set, the rule engine's time per
 * decision p50/p99, the BSS/OSS time apart, and decisions per second. Printed next to this
 * machine's own limit measured in the same run: BSS simulator reads per second.
 *
 * java -cp "ticket-service/target/quarkus-app/lib/main/*" deploy/bench/AutomationBenchmark.java KAFKA JDBC_URL BSS_URL
 *     REQUESTS RATE REPORT
 */
public class AutomationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> QUESTIONS = List.of("Why is my bill higher this month?",
            "What is this roaming charge on my bill?", "I did not order this music and video pack",
            "Why was I charged for extra data?", "I was charged twice, I want a refund", "Can I get a paper invoice?",
            "为什么这个月话费这么多？");

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        String jdbc = args[1];
        String bss = args[2];
        int requests = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        Path report = Path.of(args[5]);
        int machineSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "5"));

        double bssRate = bssReadsPerSecond(bss, machineSeconds);
        System.out.printf("machine limit: %.0f BSS simulator reads/s (8 clients, %d s)%n", bssRate, machineSeconds);

        JsonNode catalogue = JSON.readTree(get(bss + "/bss/v1/packages"));
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        List<String> packages = new ArrayList<>();
        for (JsonNode p : catalogue) {
            packages.add(p.path("id").asText());
            List<String> targets = new ArrayList<>();
            p.path("allowedTargets").forEach(t -> targets.add(t.path("packageId").asText()));
            allowed.put(p.path("id").asText(), targets);
        }
        int customers = JSON.readTree(get(bss + "/sim/health")).path("seeded").asInt();
        Random random = new Random(42);
        List<UUID> ids = new ArrayList<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            long intervalNanos = 1_000_000_000L / Math.max(1, rate);
            long next = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                String customer = String.format("sim-%04d", 1 + random.nextInt(customers));
                UUID id = UUID.randomUUID();
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("requestId", id.toString());
                request.put("channel", "app");
                request.put("customerId", customer);
                request.put("subject", customer);
                request.put("region", "gz-tianhe");
                request.put("severity", "minor");
                request.put("submittedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
                int kind = random.nextInt(100);
                if (kind < 40) {
                    String current = JSON.readTree(get(bss + "/bss/v1/accounts/" + customer)).path("packageId").asText();
                    List<String> targets = allowed.getOrDefault(current, List.of());
                    String target = random.nextInt(4) > 0 && !targets.isEmpty() ? targets.get(random.nextInt(targets.size()))
                            : packages.get(random.nextInt(packages.size()));
                    request.put("requestType", "businessRequest");
                    request.put("description", "Please change my package to " + target);
                    request.put("attributes", Map.of("intent", "packageChange", "targetPackage", target));
                } else if (kind < 75) {
                    request.put("requestType", random.nextBoolean() ? "consultation" : "complaint");
                    request.put("category", "billing");
                    request.put("description", QUESTIONS.get(random.nextInt(QUESTIONS.size())));
                } else {
                    request.put("requestType", "faultRepair");
                    request.put("category", "broadband");
                    request.put("description", "My service is not working");
                }
                // As the gateway puts a request on the topic: a CloudEvent in its headers (no trace context).
                io.unichannel.common.events.CloudEvent event = io.unichannel.common.events.CloudEvent.of(
                        "/unichannel/channel-gateway", io.unichannel.common.events.EventTypes.CHANNEL_REQUEST_SUBMITTED,
                        id.toString(), JSON.writeValueAsString(request));
                ProducerRecord<String, String> record = new ProducerRecord<>(io.unichannel.common.events.Topics.CHANNEL_REQUESTS,
                        null, id.toString(), event.data(), io.unichannel.common.events.CloudEventRecords.headers(event));
                producer.send(record);
                ids.add(id);
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            producer.flush();
        }
        System.out.printf("sent %d requests in %.1f s%n", requests,
                java.time.Duration.between(start, OffsetDateTime.now(ZoneOffset.UTC)).toMillis() / 1000.0);

        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            String inRun = "t.request_id = ANY (?)";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            int decided = 0;
            while (System.nanoTime() < deadline) {
                try (PreparedStatement q = db.prepareStatement("SELECT count(*) FROM automation_decision d JOIN trouble_ticket t "
                        + "ON t.id = d.ticket_id WHERE " + inRun)) {
                    q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        decided = r.getInt(1);
                    }
                }
                if (decided >= requests) {
                    break;
                }
                Thread.sleep(500);
            }
            System.out.printf("%d of %d requests decided%n", decided, requests);
            List<String> lines = new ArrayList<>();
            lines.add(String.format("| machine: BSS simulator reads/s (8 clients) | %,.0f |", bssRate));
            lines.add("");
            lines.add("| rule set | decisions | settled with no human step | rule engine p50 / p99 | BSS/OSS p50 / p99 | decisions/s |");
            lines.add("|---|---|---|---|---|---|");
            try (PreparedStatement q = db.prepareStatement("""
                    SELECT d.rule_set, count(*),
                           count(*) FILTER (WHERE d.outcome IN ('approved', 'refused', 'answered')
                                            OR d.rule_set = 'fault-diagnosis') ,
                           percentile_disc(0.5) WITHIN GROUP (ORDER BY d.decision_micros),
                           percentile_disc(0.99) WITHIN GROUP (ORDER BY d.decision_micros),
                           percentile_disc(0.5) WITHIN GROUP (ORDER BY d.operator_millis),
                           percentile_disc(0.99) WITHIN GROUP (ORDER BY d.operator_millis),
                           extract(epoch FROM max(d.decided_at) - min(d.decided_at))
                      FROM automation_decision d JOIN trouble_ticket t ON t.id = d.ticket_id
                     WHERE t.request_id = ANY (?) GROUP BY d.rule_set ORDER BY d.rule_set""")) {
                q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        long n = r.getLong(2);
                        double span = Math.max(1, r.getDouble(8));
                        String settled = r.getString(1).equals("fault-diagnosis") ? "pre-diagnosed and routed: " + r.getLong(3)
                                : String.format("%d (%.0f %%)", r.getLong(3), 100.0 * r.getLong(3) / n);
                        lines.add(String.format("| %s | %d | %s | %.2f / %.2f ms | %d / %d ms | %.1f |", r.getString(1), n, settled,
                                r.getLong(4) / 1000.0, r.getLong(5) / 1000.0, r.getLong(6), r.getLong(7), n / span));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("""
                    SELECT count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY d.decision_micros),
                           percentile_disc(0.99) WITHIN GROUP (ORDER BY d.decision_micros),
                           extract(epoch FROM max(d.decided_at) - min(d.decided_at)),
                           count(*) FILTER (WHERE d.rule_set <> 'fault-diagnosis'),
                           count(*) FILTER (WHERE d.rule_set <> 'fault-diagnosis' AND d.outcome IN ('approved', 'refused', 'answered'))
                      FROM automation_decision d JOIN trouble_ticket t ON t.id = d.ticket_id WHERE t.request_id = ANY (?)""")) {
                q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    double share = r.getLong(5) == 0 ? 0 : 100.0 * r.getLong(6) / r.getLong(5);
                    lines.add(String.format("| all | %d | package changes and bill questions: %.0f %% | %.2f / %.2f ms | | %.1f |",
                            r.getLong(1), share, r.getLong(2) / 1000.0, r.getLong(3) / 1000.0, r.getLong(1) / Math.max(1, r.getDouble(4))));
                    System.out.printf("settled automatically: %.0f %% of package changes and bill questions; rule engine p99 %.2f ms%n",
                            share, r.getLong(3) / 1000.0);
                }
            }
            lines.add("");
            lines.add(String.format("%d requests (%d per second offered), %d decided.", requests, rate, decided));
            Files.write(report, lines);
            lines.forEach(System.out::println);
            if (decided < requests) {
                System.exit(2);
            }
        }
    }

    /** This machine's ceiling for what a decision waits on: GETs of an account from the simulator, 8 clients. */
    private static double bssReadsPerSecond(String bss, int seconds) throws Exception {
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    try {
                        get(bss + "/bss/v1/accounts/sim-0001");
                        calls.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 10, TimeUnit.SECONDS);
        return calls.get() / (double) seconds;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
