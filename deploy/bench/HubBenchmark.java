import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * The TMF621 hub delivering to a partner on loopback. A partner client is onboarded in Keycloak,
 * subscribes to TroubleTicketCreateEvent with a callback on a sink in this process (which checks
 * every signature), then opens TICKETS tickets through POST /troubleTicket with CLIENTS at a time.
 * Reported: deliveries per second, delivery latency from the moment ticket-service answered the
 * POST (the ticket and its event committed) to the partner receiving the event, p50/p99/max,
 * deliveries received twice (must be 0, also with several ticket-service replicas), and next to
 * them the machine's own limit: signed POSTs per second this JVM sends to the same sink.
 *
 * <p>Arguments: TICKET_SERVICE_URL[,MORE_REPLICAS] KEYCLOAK REALM ADMIN_USER ADMIN_PASSWORD TICKETS CLIENTS OUT.
 * BENCH_MACHINE_SECONDS (default 5) sets how long the limit is measured.
 */
public class HubBenchmark {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern TICKET_ID = Pattern.compile("\"troubleTicket\":\\{\"id\":\"([^\"]+)\"");
    static final Pattern ID = Pattern.compile("^\\{\"id\":\"([^\"]+)\"");

    static final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    static final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    static final AtomicInteger duplicates = new AtomicInteger();
    static final AtomicInteger badSignatures = new AtomicInteger();
    static final AtomicInteger sinkCalls = new AtomicInteger();
    static volatile String secret = "";

    public static void main(String[] args) throws Exception {
        String[] tickets = args[0].split(",");
        String keycloak = args[1];
        String realm = args[2];
        int count = Integer.parseInt(args[5]);
        int clients = Integer.parseInt(args[6]);
        Path out = Path.of(args[7]);
        int machineSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_MACHINE_SECONDS", "5"));

        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        ExecutorService sinkThreads = Executors.newFixedThreadPool(16);
        sink.setExecutor(sinkThreads);
        sink.createContext("/floor", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        sink.createContext("/listener", exchange -> {
            long now = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("X-Hub-Signature");
            sinkCalls.incrementAndGet();
            if (signature == null || !signature.matches("t=\\d+,v1=[0-9a-f]{64}") || !signature.substring(signature.indexOf("v1=") + 3)
                    .equals(hmac(secret, signature.substring(2, signature.indexOf(',')) + "." + body))) {
                badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            Matcher m = TICKET_ID.matcher(body);
            if (m.find() && deliveredAt.putIfAbsent(m.group(1), now) != null) {
                duplicates.incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        sink.start();
        String sinkBase = "http://127.0.0.1:" + sink.getAddress().getPort();

        double floor = machineFloor(sinkBase + "/floor", machineSeconds);

        String partner = onboardPartner(keycloak, realm, args[3], args[4]);
        String token = token(keycloak, realm, partner, partner + "-bench-secret");
        HttpResponse<String> hub = HTTP.send(HttpRequest.newBuilder(URI.create(tickets[0] + "/tmf-api/troubleTicket/v5/hub"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"@type\":\"Hub\",\"callback\":\"" + sinkBase
                        + "\",\"query\":\"eventType=TroubleTicketCreateEvent\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (hub.statusCode() != 201) {
            throw new IllegalStateException("subscribing failed: " + hub.statusCode() + " " + hub.body());
        }
        Matcher secretMatch = Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(hub.body());
        secretMatch.find();
        secret = secretMatch.group(1);
        Matcher hubId = ID.matcher(hub.body());
        hubId.find();

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.submit(() -> {
                String body = "{\"@type\":\"TroubleTicket\",\"description\":\"Broadband down since this morning, ONT LOS light on\","
                        + "\"severity\":\"major\",\"ticketType\":\"faultRepair\",\"channel\":{\"id\":\"app\",\"name\":\"app\",\"@type\":\"ChannelRef\"},"
                        + "\"relatedParty\":[{\"role\":\"customer\",\"@type\":\"RelatedPartyRefOrPartyRoleRef\",\"partyOrPartyRole\":"
                        + "{\"id\":\"C-hub-bench-" + (n % 5000) + "\",\"@type\":\"PartyRoleRef\",\"@referredType\":\"Customer\"}}],"
                        + "\"externalIdentifier\":[{\"id\":\"NOC-" + System.nanoTime() + "-" + n + "\",\"@type\":\"ExternalIdentifier\"}]}";
                try {
                    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(tickets[n % tickets.length]
                            + "/tmf-api/troubleTicket/v5/troubleTicket")).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long now = System.nanoTime();
                    Matcher id = ID.matcher(created.body());
                    if (created.statusCode() == 201 && id.find()) {
                        committedAt.put(id.group(1), now);
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        long posted = System.nanoTime();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && !deliveredAt.keySet().containsAll(committedAt.keySet())) {
            Thread.sleep(50);
        }
        Thread.sleep(1500);
        List<Long> latencies = new ArrayList<>();
        long lastArrival = start;
        for (Map.Entry<String, Long> e : committedAt.entrySet()) {
            Long arrived = deliveredAt.get(e.getKey());
            if (arrived != null) {
                latencies.add(Math.max(0, arrived - e.getValue()));
                lastArrival = Math.max(lastArrival, arrived);
            }
        }
        Collections.sort(latencies);
        HTTP.send(HttpRequest.newBuilder(URI.create(tickets[0] + "/tmf-api/troubleTicket/v5/hub/" + hubId.group(1)))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        sink.stop(0);
        sinkThreads.shutdownNow();

        double seconds = (lastArrival - start) / 1e9;
        StringBuilder report = new StringBuilder();
        report.append("| measure | value |\n|---|---|\n");
        row(report, "ticket-service replicas", String.valueOf(tickets.length));
        row(report, "tickets opened (POST /troubleTicket, " + clients + " at a time)", String.valueOf(committedAt.size()));
        row(report, "POSTs refused or failed", String.valueOf(failures.get()));
        row(report, "opening rate", String.format("%,.0f tickets/s", committedAt.size() / ((posted - start) / 1e9)));
        row(report, "events delivered to the partner", String.valueOf(latencies.size()));
        row(report, "deliveries received twice", String.valueOf(duplicates.get()));
        row(report, "deliveries with a bad signature", String.valueOf(badSignatures.get()));
        row(report, "deliveries per second (first POST to last delivery)", String.format("%,.0f", latencies.size() / seconds));
        row(report, "delivery latency p50", ms(percentile(latencies, 0.50)));
        row(report, "delivery latency p99", ms(percentile(latencies, 0.99)));
        row(report, "delivery latency max", ms(latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1)));
        row(report, "machine: signed POSTs/s from this JVM to the same loopback sink (16 threads)", String.format("%,.0f", floor));
        Files.writeString(out, report.toString());
        System.out.print(report);
        System.exit(latencies.size() < committedAt.size() || duplicates.get() > 0 || badSignatures.get() > 0 ? 2 : 0);
    }

    static double machineFloor(String url, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        String body = "x".repeat(1500);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int t = 0; t < 16; t++) {
            pool.submit(() -> {
                while (System.nanoTime() < until) {
                    try {
                        String signature = "t=1,v1=" + hmac("floor-secret", "1." + body);
                        HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Hub-Signature", signature)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        done.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
        return done.get() / (double) seconds;
    }

    /** A partner client as the operator onboards one: service account with the partner role, tokens for ticket-service. */
    static String onboardPartner(String keycloak, String realm, String adminUser, String adminPassword) throws Exception {
        String admin = passwordToken(keycloak, "master", "admin-cli", adminUser, adminPassword);
        String clientId = "partner-bench-" + Long.toHexString(System.nanoTime());
        String base = keycloak + "/admin/realms/" + realm;
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/clients"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"" + clientId + "\",\"enabled\":true,\"publicClient\":false,"
                        + "\"secret\":\"" + clientId + "-bench-secret\",\"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,"
                        + "\"attributes\":{\"access.token.lifespan\":\"3600\"},"
                        + "\"protocolMappers\":[{\"name\":\"audience-ticket-service\",\"protocol\":\"openid-connect\","
                        + "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.client.audience\":\"ticket-service\","
                        + "\"access.token.claim\":\"true\",\"id.token.claim\":\"false\"}}]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("onboarding the bench partner failed: " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        String user = HTTP.send(HttpRequest.newBuilder(URI.create(location + "/service-account-user"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher userId = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(user);
        userId.find();
        String role = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/roles/partner"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/users/" + userId.group(1) + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + role + "]")).build(), HttpResponse.BodyHandlers.discarding());
        return clientId;
    }

    static String token(String keycloak, String realm, String clientId, String clientSecret) throws Exception {
        return grant(keycloak, realm, "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret));
    }

    static String passwordToken(String keycloak, String realm, String clientId, String user, String password) throws Exception {
        return grant(keycloak, realm, "grant_type=password&client_id=" + enc(clientId) + "&username=" + enc(user)
                + "&password=" + enc(password));
    }

    static String grant(String keycloak, String realm, String form) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak + "/realms/" + realm
                + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no token: " + response.body());
        }
        return m.group(1);
    }

    static String hmac(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static String ms(long nanos) {
        return String.format("%,d ms", nanos / 1_000_000);
    }

    static void row(StringBuilder report, String name, String value) {
        report.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
