import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Surveys under load: starts a survey-service of its own (the jar, on the given database, in
 * consumer groups starting at the topics' end, with invitations sent as soon as they are due),
 * publishes RESOLUTIONS TroubleTicketResolvedEvents for as many different customers as fast as the
 * broker takes them, and measures each invitation's latency: from the resolution's publication to
 * its NotificationRequested on the topic (through the consumer, the contact rules, the timer and
 * the outbox relay). The bench's service reads and writes bench topics of its own
 * (bench-ticket-events, bench-notifications, bench-survey-events), so nothing of the bench reaches
 * the platform's topics, its gateway or BI. Then CLIENTS concurrent customers answer
 * every survey through the survey page's API: answers per second and response time p50/p99.
 * Printed next to this machine's own limits measured in the same run: acknowledged Kafka
 * produces per second and PostgreSQL single-row inserts per second. Three warm-up surveys go
 * first, untimed, so consumer-group joins and the relay's start are not counted.
 *
 * java -cp "survey-service/target/quarkus-app/lib/main/*" deploy/bench/SurveyBenchmark.java KAFKA JDBC_URL SURVEY_JAR
 *     QUESTIONNAIRES_FILE KEYCLOAK_URL RESOLUTIONS CLIENTS REPORT
 */
public class SurveyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TICKETS = "bench-ticket-events";
    private static final String NOTICES = "bench-notifications";
    private static final String EVENTS = "bench-survey-events";

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        String url = args[1];
        Path jar = Path.of(args[2]);
        String questionnaires = args[3];
        String keycloak = args[4];
        int resolutions = Integer.parseInt(args[5]);
        int clients = Integer.parseInt(args[6]);
        Path report = Path.of(args[7]);
        String run = Long.toString(System.currentTimeMillis(), 36);

        double produceRate = produceRate(kafka);
        System.out.printf("machine limit: %.0f acknowledged Kafka produces/s%n", produceRate);
        double insertRate = insertRate(url);
        System.out.printf("machine limit: %.0f PostgreSQL single-row inserts/s (8 connections, %s s)%n", insertRate, System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "5"));

        // The bench's survey-service reads and writes bench topics of its own: nothing reaches the
        // platform's ticket-events, notifications or survey-events (and so no gateway or BI sees it).
        createTopics(kafka, List.of(TICKETS, NOTICES, EVENTS));
        String group = "survey-service-bench-" + run;
        startGroupAtEnd(kafka, group, List.of(TICKETS, "survey-replies", "identity-events"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        String database = url.substring(url.lastIndexOf('/') + 1);
        String dbPort = url.replaceAll(".*://[^:]+:(\\d+)/.*", "$1");
        Path log = Files.createTempFile("survey-bench", ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx384m", "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(Map.of("QUARKUS_PROFILE", "local", "HTTP_PORT", String.valueOf(port), "DB_NAME", database, "DB_PORT", dbPort,
                "KAFKA_BOOTSTRAP_SERVERS", kafka, "KEYCLOAK_URL", keycloak, "SURVEY_QUESTIONNAIRES_FILE", questionnaires,
                "SURVEY_PAGE_URL", base + "/survey/"));
        env.put("MP_MESSAGING_INCOMING_TICKET_EVENTS_GROUP_ID", group);
        env.put("MP_MESSAGING_INCOMING_TICKET_EVENTS_TOPIC", TICKETS);
        env.put("SURVEY_NOTIFICATIONS_TOPIC", NOTICES);
        env.put("PLATFORM_OUTBOX_TOPIC", EVENTS);
        env.put("MP_MESSAGING_INCOMING_SURVEY_REPLIES_GROUP_ID", group);
        env.put("MP_MESSAGING_INCOMING_IDENTITY_EVENTS_GROUP_ID", group);
        Process service = builder.start();
        try {
            awaitReady(base, service, log);
            // Warm-up: the service's consumers have joined their groups and its relay streams before anything is timed.
            Map<String, String> warm = invitations(kafka, run + "w", 3, new ArrayList<>());
            answers(warm, 1, new ArrayList<>());
            List<String> lines = new ArrayList<>();
            Map<String, String> links = invitations(kafka, run, resolutions, lines);
            answers(links, clients, lines);
            lines.add(String.format("| machine: acknowledged Kafka produces/s (1 producer, 600-byte records) | %,.0f | |", produceRate));
            lines.add(String.format("| machine: PostgreSQL single-row inserts/s (8 connections) | %,.0f | |", insertRate));
            String text = "| measure | value | note |\n|---|---|---|\n" + String.join("\n", lines) + "\n";
            Files.writeString(report, text);
            System.out.print(text);
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /** Publishes the resolutions and waits for every invitation; returns ticket id -> survey link. */
    private static Map<String, String> invitations(String kafka, String run, int count, List<String> lines) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> invitedAt = new ConcurrentHashMap<>();
        Map<String, String> links = new ConcurrentHashMap<>();
        String prefix = "TT-SB-" + run + "-";
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(kafka))) {
            List<TopicPartition> partitions = consumer.partitionsFor(NOTICES).stream()
                    .map(p -> new TopicPartition(NOTICES, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long first = System.nanoTime();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
                for (int n = 0; n < count; n++) {
                    String ticket = prefix + n;
                    String data = resolved(ticket, "bench-sv-" + run + "-" + n);
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("ce_specversion", bytes("1.0"));
                    headers.add("ce_id", bytes(UUID.randomUUID().toString()));
                    headers.add("ce_source", bytes("/unichannel/ticket-service"));
                    headers.add("ce_type", bytes("TroubleTicketResolvedEvent"));
                    headers.add("ce_time", bytes(OffsetDateTime.now(ZoneOffset.UTC).toString()));
                    headers.add("content-type", bytes("application/json"));
                    sentAt.put(ticket, System.nanoTime());
                    producer.send(new ProducerRecord<>(TICKETS, null, ticket, data, headers));
                }
                producer.flush();
            }
            long published = System.nanoTime();
            Instant deadline = Instant.now().plusSeconds(120 + count / 20);
            while (invitedAt.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    JsonNode data = JSON.readTree(r.value());
                    String ticket = data.path("relatedTicketId").asText();
                    if (ticket.startsWith(prefix) && invitedAt.putIfAbsent(ticket, now) == null) {
                        links.put(ticket, data.at("/parameters/link").asText());
                    }
                }
            }
            long last = invitedAt.values().stream().mapToLong(Long::longValue).max().orElse(published);
            if (invitedAt.size() < count) {
                throw new IllegalStateException("only " + invitedAt.size() + " of " + count + " invitations arrived");
            }
            List<Long> latencies = new ArrayList<>();
            invitedAt.forEach((ticket, at) -> latencies.add((at - sentAt.get(ticket)) / 1_000_000));
            Collections.sort(latencies);
            lines.add(String.format("| resolutions published (each a different customer) | %,d | in %.1f s |", count,
                    (published - first) / 1e9));
            lines.add(String.format("| invitations sent | %,d | one NotificationRequested each (on the bench's own topic) |", invitedAt.size()));
            lines.add(String.format("| invitation latency after resolution p50 | %d ms | publication to NotificationRequested on the topic |",
                    percentile(latencies, 50)));
            lines.add(String.format("| invitation latency after resolution p99 | %d ms | the timer polls every second |",
                    percentile(latencies, 99)));
            lines.add(String.format("| invitation latency max | %d ms | |", latencies.get(latencies.size() - 1)));
            lines.add(String.format("| invitations per second | %,.0f | first publication to last invitation |",
                    count / ((last - first) / 1e9)));
        }
        return links;
    }

    /** Every survey answered once through the page's API by CLIENTS customers at a time. */
    private static void answers(Map<String, String> links, int clients, List<String> lines) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<String> todo = new ConcurrentLinkedQueue<>(links.values());
        List<Long> times = Collections.synchronizedList(new ArrayList<>());
        AtomicLong refused = new AtomicLong();
        String body = "{\"answers\":{\"csat\":5,\"fcr\":true,\"nps\":9}}";
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                String link;
                while ((link = todo.poll()) != null) {
                    String token = link.substring(link.lastIndexOf('/') + 1);
                    URI uri = URI.create(link.substring(0, link.indexOf("/survey/")) + "/api/v1/survey-forms/" + token);
                    long begin = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 201) {
                            refused.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        refused.incrementAndGet();
                    }
                    times.add((System.nanoTime() - begin) / 1_000_000);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " answers were not recorded");
        }
        lines.add(String.format("| answers recorded | %,d | %d customers answering at a time |", sorted.size(), clients));
        lines.add(String.format("| answers per second | %,.0f | each in one transaction with its SurveyResponseReceived |",
                sorted.size() / seconds));
        lines.add(String.format("| answer response time p50 | %d ms | |", percentile(sorted, 50)));
        lines.add(String.format("| answer response time p99 | %d ms | |", percentile(sorted, 99)));
    }

    private static String resolved(String ticket, String customer) throws Exception {
        Map<String, Object> t = new HashMap<>();
        t.put("id", ticket);
        t.put("ticketType", "consultation");
        t.put("status", "resolved");
        t.put("channel", Map.of("name", "web"));
        t.put("relatedParty", List.of(Map.of("id", customer, "role", "customer", "@referredType", "Customer"),
                Map.of("id", "bench-agent", "role", "assignee", "@referredType", "Individual")));
        t.put("region", "bench-region");
        t.put("resolutionDate", OffsetDateTime.now(ZoneOffset.UTC).toString());
        return JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(), "eventType", "TroubleTicketResolvedEvent",
                "event", Map.of("troubleTicket", t)));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Properties producerProps(String kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringSerializer");
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringSerializer");
        return p;
    }

    private static Properties consumerProps(String kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");
        return p;
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

    /** This machine's acknowledged produce rate: 20,000 records of 600 bytes to a bench topic. */
    private static double produceRate(String kafka) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin a = Admin.create(admin)) {
            if (!a.listTopics().names().get().contains("bench-survey-limits")) {
                a.createTopics(List.of(new NewTopic("bench-survey-limits", 3, (short) 1)
                        .configs(Map.of("retention.ms", "600000")))).all().get();
            }
        }
        String payload = "x".repeat(600);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                producer.send(new ProducerRecord<>("bench-survey-limits", String.valueOf(i), payload));
            }
            producer.flush();
            return 20_000 / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double insertRate(String url) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_insert_limit (id uuid PRIMARY KEY, payload text NOT NULL)");
        }
        AtomicLong inserted = new AtomicLong();
        long end = System.nanoTime() + Long.parseLong(System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "5")) * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                        var insert = c.prepareStatement("INSERT INTO bench_insert_limit VALUES (?, ?)")) {
                    while (System.nanoTime() < end) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, "x".repeat(512));
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
        return inserted.get() / 5.0;
    }

    private static void startGroupAtEnd(String kafka, String group, List<String> topics) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(p -> query.put(new TopicPartition(description.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(query).all().get().forEach((p, info) -> offsets.put(p, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }

    private static void awaitReady(String base, Process service, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            if (!service.isAlive()) {
                throw new IllegalStateException("survey-service exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("survey-service not ready within 90 s; see " + log);
    }
}
