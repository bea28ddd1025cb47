import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault drill's customers and its judge (`./platform drill`). {@code run} signs in the drill's
 * customers and submits requests on the APP channel at a steady rate, as the APP does: a request
 * answered 503 (or not at all) is sent again with the same Idempotency-Key after the Retry-After
 * the gateway gave (1 s to 10 s), until it is accepted; every accepted request's progress is read
 * back, as the customer would, until its ticket shows. The platform script injects the faults
 * meanwhile and writes when each began, was lifted and was over. {@code notices} opens and resolves
 * a few requests of the demo customer Zhang Wei while his WeChat is down, so the drill can count
 * his result notices. {@code report} judges the run per fault: requests lost, duplicate tickets and
 * notices, what the customer saw, and the time to recover; it exits 3 when a fault was not survived.
 */
public class FaultDrill {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    static final Pattern TICKET = Pattern.compile("\"ticketId\":\"([^\"]+)\"");
    static final String[] TYPES = {"faultRepair", "complaint", "consultation", "businessRequest"};
    static final String[] TEXTS = {"宽带每天晚上掉线", "话费扣费有误，重复扣了流量包", "5G套餐怎么换", "办理宽带提速到300M"};

    /** One request of the drill: when it was first sent, accepted, seen with its ticket; how often it was sent. */
    static final class Sent {
        final String key;
        final String customer;
        final long firstSent = System.currentTimeMillis();
        volatile long accepted = -1;
        volatile String requestId;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        Sent(String key, String customer) {
            this.key = key;
            this.customer = customer;
        }
    }

    static final class Customer {
        final String username;
        final String password;
        volatile String token;

        Customer(String username, String password) {
            this.username = username;
            this.password = password;
        }
    }

    static String gateway;
    static String keycloak;
    static String realm;
    static java.util.concurrent.ExecutorService refresher;

    /** A fresh token for the customer; while Keycloak does not answer, the one in hand stays. */
    static void refresh(Customer c) {
        try {
            c.token = token(realm, "channel-app", c.username, c.password);
        } catch (Exception e) {
            // Keycloak away: the token in hand is still good for minutes.
        }
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "run" -> run(args[1], args[2], args[3], args[4], args[5], Path.of(args[6]));
            case "notices" -> notices(args[1], args[2], args[3], args[4], Path.of(args[5]));
            case "report" -> System.exit(report(Path.of(args[1])) ? 0 : 3);
            default -> throw new IllegalArgumentException("run, notices or report");
        }
    }

    // ------------------------------------------------------------------ run

    static void run(String gatewayUrl, String keycloakUrl, String realmName, String adminUser, String adminPassword, Path dir)
            throws Exception {
        gateway = gatewayUrl;
        keycloak = keycloakUrl;
        realm = realmName;
        int rate = Integer.parseInt(System.getenv().getOrDefault("DRILL_RATE", "50"));
        int customerCount = Integer.parseInt(System.getenv().getOrDefault("DRILL_CUSTOMERS", "50"));
        int drainSeconds = Integer.parseInt(System.getenv().getOrDefault("DRILL_DRAIN_SECONDS", "300"));
        String admin = token("master", "admin-cli", adminUser, adminPassword);
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < customerCount; i++) {
            Customer c = new Customer("drill-" + UUID.randomUUID().toString().substring(0, 8), "Drill-" + UUID.randomUUID());
            createCustomer(admin, c.username, c.password);
            c.token = token(realm, "channel-app", c.username, c.password);
            customers.add(c);
        }
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
        refresher = Executors.newFixedThreadPool(8);
        // Tokens live five minutes; the APP refreshes them a minute at a time, well ahead of expiry, each
        // customer on their own (a Keycloak that does not answer holds up nobody else). While Keycloak is
        // down it keeps the token it has.
        timers.scheduleAtFixedRate(() -> {
            for (Customer c : customers) {
                refresher.submit(() -> refresh(c));
            }
        }, 1, 1, TimeUnit.MINUTES);
        List<Sent> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<String> reads = new ConcurrentLinkedQueue<>();
        Files.writeString(dir.resolve("started"), String.valueOf(System.currentTimeMillis()));
        System.out.printf("drill traffic: %d customers, %d req/s%n", customerCount, rate);

        Random random = new Random();
        long period = 1_000_000_000L / rate;
        long next = System.nanoTime();
        AtomicInteger inFlight = new AtomicInteger();
        // What customers see meanwhile: five progress reads a second of recently accepted requests.
        Map<String, Customer> byName = new HashMap<>();
        customers.forEach(c -> byName.put(c.username, c));
        Random sampling = new Random();
        timers.scheduleAtFixedRate(() -> sample(all, byName, reads, sampling), 200, 200, TimeUnit.MILLISECONDS);
        while (!Files.exists(dir.resolve("stop"))) {
            int i = random.nextInt(TYPES.length);
            Customer c = customers.get(random.nextInt(customers.size()));
            Sent s = new Sent("drill-" + UUID.randomUUID(), c.username);
            all.add(s);
            submit(s, c, TYPES[i], TEXTS[i], timers, inFlight);
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        System.out.printf("drill traffic stopped after %d requests; waiting for every one to be accepted%n", all.size());
        long deadline = System.currentTimeMillis() + drainSeconds * 1000L;
        while (System.currentTimeMillis() < deadline && all.stream().anyMatch(s -> s.accepted < 0)) {
            Thread.sleep(500);
        }
        timers.shutdownNow();
        refresher.shutdownNow();
        StringBuilder csv = new StringBuilder("key,customer,firstSent,accepted,attempts,errors,requestId\n");
        for (Sent s : all) {
            csv.append(s.key).append(',').append(s.customer).append(',').append(s.firstSent).append(',').append(s.accepted)
                    .append(',').append(s.attempts.get()).append(',').append(s.errors.get())
                    .append(',').append(s.requestId == null ? "" : s.requestId).append('\n');
        }
        Files.writeString(dir.resolve("requests.csv"), csv);
        Files.writeString(dir.resolve("reads.csv"), "at,status\n" + String.join("\n", reads) + "\n");
        System.out.printf("drill traffic: %d requests, %d accepted%n", all.size(), all.stream().filter(s -> s.accepted > 0).count());
    }

    /** Sends the request; a 503, a timeout or a refused connection is sent again, same key, after the pause the gateway asked for. */
    static void submit(Sent s, Customer c, String type, String text, ScheduledExecutorService timers, AtomicInteger inFlight) {
        s.attempts.incrementAndGet();
        inFlight.incrementAndGet();
        String body = "{\"requestType\":\"" + type + "\",\"description\":\"" + text + "\"}";
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests"))
                        .header("Authorization", "Bearer " + c.token).header("Content-Type", "application/json")
                        .header("Idempotency-Key", s.key).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    inFlight.decrementAndGet();
                    if (error == null && response.statusCode() == 202) {
                        Matcher m = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"").matcher(response.body());
                        s.requestId = m.find() ? m.group(1) : null;
                        s.accepted = System.currentTimeMillis();
                        return;
                    }
                    long pause = 1;
                    if (error == null) {
                        pause = response.headers().firstValue("Retry-After").map(v -> {
                            try {
                                return Long.parseLong(v.trim());
                            } catch (NumberFormatException e) {
                                return 2L;
                            }
                        }).orElse(2L);
                        if (response.statusCode() == 401 && s.attempts.get() == 1) {
                            // An APP whose token ran out signs in again silently once; only a second 401 is an error.
                            refresher.submit(() -> refresh(c));
                        } else if (response.statusCode() != 503 && response.statusCode() != 429) {
                            s.errors.incrementAndGet();
                            System.out.printf("request %s answered %d: %s%n", s.key, response.statusCode(),
                                    response.body().length() > 200 ? response.body().substring(0, 200) : response.body());
                        }
                    }
                    long wait = Math.max(1, Math.min(10, pause * Math.min(4, s.attempts.get())));
                    timers.schedule(() -> submit(s, c, type, text, timers, inFlight), wait, TimeUnit.SECONDS);
                });
    }

    /** Reads one accepted request's progress, as its customer would: what does the customer see right now? */
    static void sample(List<Sent> all, Map<String, Customer> customers, ConcurrentLinkedQueue<String> reads, Random random) {
        int size = all.size();
        for (int tries = 0; tries < 20 && size > 0; tries++) {
            Sent s = all.get(Math.max(0, size - 1 - random.nextInt(Math.min(size, 2000))));
            if (s.requestId == null) {
                continue;
            }
            long now = System.currentTimeMillis();
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests/"
                        + s.requestId)).header("Authorization", "Bearer " + customers.get(s.customer).token)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                String status = response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
                        ? "503-retry-after" : String.valueOf(response.statusCode());
                reads.add(now + "," + status);
            } catch (IOException e) {
                reads.add(now + ",no-answer");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
    }

    // ------------------------------------------------------------------ notices

    /**
     * While WeChat is down: Zhang Wei writes to the official account (so he is a follower), then
     * submits requests on the APP; ops takes each up and resolves it. Writes notices.csv (ticket ids).
     */
    static void notices(String gatewayUrl, String keycloakUrl, String realmName, String ticketUrl, Path dir) throws Exception {
        gateway = gatewayUrl;
        keycloak = keycloakUrl;
        realm = realmName;
        String sim = System.getenv().getOrDefault("DRILL_SIMULATOR", "http://127.0.0.1:8189");
        HTTP.send(HttpRequest.newBuilder(URI.create(sim + "/sim/wechat/inbound")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"openId\":\"oDemoZhangWei0001\",\"text\":\"你好\"}",
                        StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.discarding());
        String app = token(realm, "channel-app", "zhangwei", "customer-local-pw");
        String ops = token(realm, "staff-console", "ops", "ops-local-pw");
        int count = Integer.parseInt(System.getenv().getOrDefault("DRILL_NOTICES", "5"));
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests"))
                    .header("Authorization", "Bearer " + app).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "drill-notice-" + UUID.randomUUID()).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"requestType\":\"complaint\",\"description\":\"营业厅办理业务排队太久\"}",
                            StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher id = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"").matcher(accepted.body());
            if (accepted.statusCode() != 202 || !id.find()) {
                throw new IllegalStateException("Zhang Wei's request was not accepted: " + accepted.statusCode());
            }
            String ticket = null;
            for (int tries = 0; tries < 120 && ticket == null; tries++) {
                Thread.sleep(500);
                HttpResponse<String> state = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/requests/" + id.group(1)))
                        .header("Authorization", "Bearer " + app).build(), HttpResponse.BodyHandlers.ofString());
                Matcher t = TICKET.matcher(state.body());
                ticket = state.statusCode() == 200 && t.find() ? t.group(1) : null;
            }
            if (ticket == null) {
                throw new IllegalStateException("Zhang Wei's request got no ticket within a minute");
            }
            for (String change : List.of("{\"status\":\"inProgress\",\"note\":[{\"text\":\"正在处理\"}]}",
                    "{\"status\":\"resolved\",\"statusChangeReason\":\"已安排专人办理\"}")) {
                HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(URI.create(ticketUrl
                                + "/tmf-api/troubleTicket/v5/troubleTicket/" + ticket)).header("Authorization", "Bearer " + ops)
                        .header("Content-Type", "application/merge-patch+json; charset=UTF-8")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(change, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (patched.statusCode() != 200) {
                    throw new IllegalStateException("ops could not change " + ticket + ": " + patched.statusCode() + " " + patched.body());
                }
            }
            tickets.add(ticket);
        }
        Files.writeString(dir.resolve("notices.csv"), String.join("\n", tickets) + "\n");
        System.out.printf("Zhang Wei's %d requests resolved while WeChat is down: %s%n", count, tickets);
    }

    // ------------------------------------------------------------------ report

    record Fault(String name, String what, long start, long lifted, long ready) {
    }

    record Row(String key, long firstSent, long accepted, long ticketAt, int attempts, int errors, String requestId) {
    }

    /**
     * Judges the run: faults.csv (name|what|start|lifted|ready, times in ms), requests.csv and reads.csv
     * from {@code run}, tickets.csv (request id, tickets) from ticket-service's database and
     * notices-told.csv (ticket id, times told) from the gateway's ledger.
     */
    static boolean report(Path dir) throws IOException {
        List<Fault> faults = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("faults.csv"))) {
            String[] f = line.split("\\|", 5);
            if (f.length == 5) {
                faults.add(new Fault(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
        }
        Map<String, Integer> ticketsPerRequest = new HashMap<>();
        Map<String, Long> ticketAt = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("tickets.csv"))) {
            String[] f = line.split(",");
            if (f.length == 3) {
                ticketsPerRequest.put(f[0].trim(), Integer.parseInt(f[1].trim()));
                ticketAt.put(f[0].trim(), (long) Double.parseDouble(f[2].trim()));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("requests.csv")).stream().skip(1).toList()) {
            String[] f = line.split(",", -1);
            rows.add(new Row(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), ticketAt.getOrDefault(f[6], -1L),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), f[6]));
        }
        List<long[]> reads = new ArrayList<>();
        Map<Long, String> readStatus = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("reads.csv")).stream().skip(1).toList()) {
            String[] f = line.split(",");
            if (f.length == 2) {
                reads.add(new long[] {Long.parseLong(f[0])});
                readStatus.put((long) reads.size() - 1, f[1]);
            }
        }
        StringBuilder out = new StringBuilder();
        boolean survivedAll = true;
        out.append("| fault | what was done | out for | requests sent meanwhile | lost | duplicate tickets | answered with an error | "
                + "progress reads: answered / said \"later\" / error | longest submit to 202 | longest submit to ticket | "
                + "time to recover | survived |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Fault fault : faults) {
            // What the fault touched: requests first sent from its start until the platform was ready again.
            List<Row> touched = rows.stream().filter(r -> r.firstSent() >= fault.start() && r.firstSent() <= fault.ready()).toList();
            long lost = touched.stream().filter(r -> r.accepted() < 0 || r.ticketAt() < 0).count();
            long duplicates = touched.stream().filter(r -> ticketsPerRequest.getOrDefault(r.requestId(), 0) > 1).count();
            long errors = touched.stream().filter(r -> r.errors() > 0).count();
            int ok = 0;
            int later = 0;
            int bad = 0;
            Map<String, Integer> badKinds = new java.util.TreeMap<>();
            for (int i = 0; i < reads.size(); i++) {
                long at = reads.get(i)[0];
                if (at < fault.start() || at > fault.ready()) {
                    continue;
                }
                String status = readStatus.get((long) i);
                if (status.equals("200")) {
                    ok++;
                } else if (status.equals("503-retry-after")) {
                    later++;
                } else {
                    bad++;
                    badKinds.merge(status, 1, Integer::sum);
                }
            }
            double toAccept = touched.stream().filter(r -> r.accepted() > 0).mapToLong(r -> r.accepted() - r.firstSent()).max()
                    .orElse(0) / 1000.0;
            double toTicket = touched.stream().filter(r -> r.ticketAt() > 0).mapToLong(r -> r.ticketAt() - r.firstSent()).max()
                    .orElse(0) / 1000.0;
            // Recovered when every request the fault touched has its ticket.
            long lastSeen = touched.stream().mapToLong(Row::ticketAt).max().orElse(fault.lifted());
            double recover = Math.max(0, lastSeen - fault.lifted()) / 1000.0;
            boolean survived = !touched.isEmpty() && lost == 0 && duplicates == 0 && errors == 0 && bad == 0;
            survivedAll &= survived;
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f s | %d | %d | %d | %d | %d / %d / %d%s | %.1f s | %.1f s | %.1f s | %s |%n",
                    fault.name(), fault.what(), (fault.lifted() - fault.start()) / 1000.0, touched.size(), lost, duplicates, errors,
                    ok, later, bad, badKinds.isEmpty() ? "" : " " + badKinds.toString().replace('=', ':'), toAccept, toTicket, recover, survived ? "yes" : "**no**"));
        }
        long totalLost = rows.stream().filter(r -> r.accepted() < 0 || r.ticketAt() < 0).count();
        long totalDuplicates = ticketsPerRequest.values().stream().filter(n -> n > 1).count();
        out.append(String.format(Locale.ROOT, "%nWhole run: %d requests, %d accepted, %d with their ticket, "
                + "%d lost, %d requests with more than one ticket; %d sent more than once before being accepted.%n", rows.size(),
                rows.stream().filter(r -> r.accepted() > 0).count(), rows.stream().filter(r -> r.ticketAt() > 0).count(), totalLost,
                totalDuplicates, rows.stream().filter(r -> r.attempts() > 1).count()));
        survivedAll &= totalLost == 0 && totalDuplicates == 0;
        Path told = dir.resolve("notices-told.csv");
        if (Files.exists(told)) {
            List<String> lines = Files.readAllLines(told).stream().filter(l -> l.contains(",")).toList();
            long once = lines.stream().filter(l -> l.split(",")[1].trim().equals("1")).count();
            out.append(String.format(Locale.ROOT, "%nResult notices while WeChat was down: %d of Zhang Wei's tickets resolved, "
                    + "%d told exactly once (%s).%n", lines.size(), once, String.join("; ", lines)));
            survivedAll &= once == lines.size() && !lines.isEmpty();
        }
        out.append(survivedAll ? "\nEvery fault survived.\n" : "\n**Not every fault was survived** (see the rows marked no).\n");
        System.out.print(out);
        return survivedAll;
    }

    // ------------------------------------------------------------------ Keycloak (as the request-path benchmark signs in)

    static String token(String tokenRealm, String client, String username, String password) throws Exception {
        RequestPathBenchmark.keycloak = keycloak;
        return RequestPathBenchmark.token(tokenRealm, client, username, password);
    }

    static void createCustomer(String adminToken, String username, String password) throws Exception {
        RequestPathBenchmark.keycloak = keycloak;
        RequestPathBenchmark.realm = realm;
        RequestPathBenchmark.createCustomer(adminToken, username, password);
    }

}
