import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The KPI topology under load: starts an analytics-service of its own (the jar, exactly-once, on
 * bench topics of its own so nothing reaches the platform's topics or BI), then
 * 1. publishes ticket events at RATE per second for SECONDS seconds; every 50th opens a ticket in a
 *    region of its own, and the time from its publication to its KpiSnapshot on the bench snapshot
 *    topic (read committed) is its event-to-KPI lag: p50, p99, max;
 * 2. publishes BACKLOG events at once and times until the last one's snapshot: events processed per
 *    second.
 * Printed next to this machine's own limit measured in the same run: a plain Kafka consumer
 * reading the same backlog (records per second).
 *
 * java -cp "analytics-service/target/quarkus-app/lib/main/*" deploy/bench/AnalyticsBenchmark.java KAFKA ANALYTICS_JAR
 *     KEYCLOAK_URL DB_NAME RATE SECONDS BACKLOG REPORT
 */
public class AnalyticsBenchmark {

    private static final String TICKETS = "bench-analytics-ticket-events";
    private static final String SNAPSHOTS = "bench-analytics-kpi-snapshots";
    private static final String ALERTS = "bench-analytics-service-alerts";
    private static final List<String> TYPES = List.of("complaint", "faultRepair", "consultation", "businessRequest");
    private static final List<String> CHANNELS = List.of("app", "wechat", "sms", "hotline", "web");

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        Path jar = Path.of(args[1]);
        String keycloak = args[2];
        String database = args[3];
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int backlog = Integer.parseInt(args[6]);
        Path report = Path.of(args[7]);
        String run = Long.toString(System.currentTimeMillis(), 36);

        createTopics(kafka, List.of(TICKETS, "bench-analytics-survey-events", "bench-analytics-interaction-events", SNAPSHOTS, ALERTS));
        // The bench's application starts at the bench topic's end: earlier runs' records are not its work.
        startGroupAtEnd(kafka, "analytics-bench-" + run, List.of(TICKETS, "bench-analytics-survey-events",
                "bench-analytics-interaction-events"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("analytics-bench", ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(Map.of("QUARKUS_PROFILE", "local", "HTTP_PORT", String.valueOf(port), "DB_NAME", database,
                "KAFKA_BOOTSTRAP_SERVERS", kafka, "KEYCLOAK_URL", keycloak,
                "ANALYTICS_APPLICATION_ID", "analytics-bench-" + run,
                "ANALYTICS_STATE_DIR", Files.createTempDirectory("analytics-bench").toString(),
                "ANALYTICS_TICKET_EVENTS_TOPIC", TICKETS, "ANALYTICS_KPI_SNAPSHOTS_TOPIC", SNAPSHOTS,
                "ANALYTICS_SERVICE_ALERTS_TOPIC", ALERTS));
        env.put("ANALYTICS_SURVEY_EVENTS_TOPIC", "bench-analytics-survey-events");
        env.put("ANALYTICS_INTERACTION_EVENTS_TOPIC", "bench-analytics-interaction-events");
        Process service = builder.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka));
                KafkaConsumer<String, String> snapshots = new KafkaConsumer<>(consumerProps(kafka))) {
            awaitReady("http://127.0.0.1:" + port, service, log);
            List<TopicPartition> partitions = snapshots.partitionsFor(SNAPSHOTS).stream()
                    .map(p -> new TopicPartition(SNAPSHOTS, p.partition())).toList();
            snapshots.assign(partitions);
            snapshots.seekToEnd(partitions);
            partitions.forEach(snapshots::position);
            Map<String, Long> seen = new ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread watcher = watch(snapshots, seen, running);
            // Warm-up: the first snapshot proves the topology runs before anything is timed.
            Map<String, Long> warm = new ConcurrentHashMap<>();
            send(producer, run + "-w", 0, true, warm);
            await(seen, warm, Duration.ofSeconds(120));

            // 1. Lag at a steady rate.
            Map<String, Long> markers = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            int total = rate * seconds;
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                send(producer, run + "-r", i, i % 50 == 0, markers);
            }
            producer.flush();
            List<Long> lags = await(seen, markers, Duration.ofSeconds(60));
            Collections.sort(lags);

            // 2. A backlog at once: events processed per second.
            Map<String, Long> last = new ConcurrentHashMap<>();
            long backlogStart = System.nanoTime();
            for (int i = 0; i < backlog; i++) {
                send(producer, run + "-b", i, i == backlog - 1, last);
            }
            producer.flush();
            await(seen, last, Duration.ofSeconds(300));
            double processed = backlog / ((System.nanoTime() - backlogStart) / 1e9);
            running.set(false);
            watcher.join();
            double consumerRate = consumeRate(kafka, backlog);

            List<String> lines = new ArrayList<>();
            lines.add(String.format("| events offered | %,d at %,d/s for %d s, then a backlog of %,d | |", total, rate, seconds, backlog));
            lines.add(String.format("| event-to-KPI lag p50 | %d ms | %d markers, publication to KpiSnapshot (read committed) |", pct(lags, 50), lags.size()));
            lines.add(String.format("| event-to-KPI lag p99 | %d ms | |", pct(lags, 99)));
            lines.add(String.format("| event-to-KPI lag max | %d ms | |", lags.get(lags.size() - 1)));
            lines.add(String.format("| events processed per second | %,.0f | the backlog, exactly-once, 1 replica |", processed));
            lines.add(String.format("| machine: Kafka consumer records/s (the same records, 1 consumer) | %,.0f | |", consumerRate));
            String text = "| measure | value | note |\n|---|---|---|\n" + String.join("\n", lines) + "\n";
            Files.writeString(report, text);
            System.out.print(text);
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /** One TroubleTicketCreateEvent; a marker opens its ticket in a region of its own and is timed. */
    private static void send(KafkaProducer<String, String> producer, String run, int i, boolean marker, Map<String, Long> sentAt) {
        String id = "TT-AB-" + run + "-" + i;
        String region = marker ? "bench-" + run + "-" + i : "bench-region-" + (i % 20);
        String now = Instant.now().toString();
        String body = "{\"eventId\":\"" + id + ":1\",\"eventTime\":\"" + now + "\",\"eventType\":\"TroubleTicketCreateEvent\","
                + "\"sequence\":1,\"event\":{\"troubleTicket\":{\"id\":\"" + id + "\",\"ticketType\":\"" + TYPES.get(i % 4)
                + "\",\"description\":\"bench\",\"severity\":\"minor\",\"status\":\"acknowledged\",\"statusChangeHistory\":"
                + "[{\"status\":\"acknowledged\",\"changeDate\":\"" + now + "\"}],\"creationDate\":\"" + now + "\",\"channel\":{\"name\":\""
                + CHANNELS.get(i % 5) + "\"},\"relatedParty\":[{\"id\":\"C-bench-" + (i % 5000) + "\",\"role\":\"customer\"}],"
                + "\"region\":\"" + region + "\"}}}";
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", (id + ":1").getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/unichannel/ticket-service".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "TroubleTicketCreateEvent".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_time", now.getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        if (marker) {
            sentAt.put(region, System.nanoTime());
        }
        producer.send(new ProducerRecord<>(TICKETS, null, id, body, headers));
    }

    /** Waits until every marker region has been seen in a snapshot; returns each marker's lag in ms. */
    private static List<Long> await(Map<String, Long> seen, Map<String, Long> sentAt, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!seen.keySet().containsAll(sentAt.keySet())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(sentAt.keySet().stream().filter(k -> !seen.containsKey(k)).count()
                        + " markers never reached a KPI snapshot");
            }
            Thread.sleep(50);
        }
        List<Long> lags = new ArrayList<>();
        sentAt.forEach((region, sent) -> lags.add((seen.get(region) - sent) / 1_000_000));
        return lags;
    }

    /** Reads the bench snapshots as they come, noting when each region's complaint-rate snapshot is first seen. */
    private static Thread watch(KafkaConsumer<String, String> snapshots, Map<String, Long> seen, java.util.concurrent.atomic.AtomicBoolean running) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                for (ConsumerRecord<String, String> record : snapshots.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    // key: kpi|grain|window start|channel~ticketType~region~agent~team
                    if (record.key() != null && record.key().startsWith("complaintRate|minute|")) {
                        String[] dims = record.key().substring(record.key().lastIndexOf('|') + 1).split("~", -1);
                        if (dims.length >= 4) {
                            seen.putIfAbsent(dims[2], now);
                        }
                    }
                }
            }
        }, "snapshot-watch");
        thread.start();
        return thread;
    }

    /** How fast one plain consumer reads the last COUNT records of the bench ticket topic. */
    private static double consumeRate(String kafka, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(kafka))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TICKETS).stream()
                    .map(p -> new TopicPartition(TICKETS, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long perPartition = count / partitions.size() + 1;
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(0, ends.get(p) - perPartition));
            }
            long read = 0;
            long start = System.nanoTime();
            while (read < count) {
                read += consumer.poll(Duration.ofMillis(200)).count();
                if (System.nanoTime() - start > 60_000_000_000L) {
                    break;
                }
            }
            return read / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static void awaitReady(String base, Process service, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("analytics-service exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("analytics-service not ready; see " + log);
    }

    private static void createTopics(String kafka, List<String> names) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, 3, (short) 1).configs(Map.of("retention.ms", "3600000"))).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    private static void startGroupAtEnd(String kafka, String group, List<String> topics) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> query = new java.util.HashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(p -> query.put(new TopicPartition(description.name(), p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new java.util.HashMap<>();
            admin.listOffsets(query).all().get().forEach((p, info) ->
                    offsets.put(p, new org.apache.kafka.clients.consumer.OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }

    private static Properties producerProps(String kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringSerializer");
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringSerializer");
        return props;
    }

    private static Properties consumerProps(String kafka) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");
        return props;
    }
}
