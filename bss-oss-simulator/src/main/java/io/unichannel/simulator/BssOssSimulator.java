package io.unichannel.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.unichannel.simulator.OperatorData.Account;
import io.unichannel.simulator.OperatorData.Outage;
import io.unichannel.simulator.OperatorData.PackageChange;
import io.unichannel.simulator.OperatorData.Target;

/**
 * The operator's BSS and OSS as the platform sees them, on loopback: the package catalogue and
 * its change rules, accounts with balance, contract and last bill, package changes, and the
 * network view of each customer's line and of open outages. The contract is documented in
 * docs/integrations/bss-oss.md. Fixture endpoints under /sim let tests set a customer up, open or
 * clear an outage, read the changes made, and inject slow or failing answers. Beside them, the
 * providers the channel gateway sends through ({@link ChannelProviders}: WeChat, SMS, push, CTI).
 *
 * <p>Run: {@code java -jar bss-oss-simulator/target/bss-oss-simulator.jar [port] [customers]}.
 */
public final class BssOssSimulator implements AutoCloseable {

    private static final Pattern ACCOUNT = Pattern.compile("/bss/v1/accounts/([A-Za-z0-9._:-]{1,64})(/bill|/usage|/package-changes)?");
    private static final Pattern LINE = Pattern.compile("/oss/v1/lines/([A-Za-z0-9._:-]{1,64})");
    private static final Pattern SIM_ACCOUNT = Pattern.compile("/sim/accounts/([A-Za-z0-9._:-]{1,64})");
    private static final Pattern SIM_OUTAGE = Pattern.compile("/sim/outages/([A-Za-z0-9._:-]{1,64})");

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final OperatorData data;
    private final HttpServer server;
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicLong delayMillis = new AtomicLong();
    /** How many coming package-change answers are lost (the change is made, the connection drops before the answer). */
    private final java.util.concurrent.atomic.AtomicInteger lostChangeAnswers = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final OutageEvents outageEvents = new OutageEvents(json);

    private BssOssSimulator(HttpServer server, OperatorData data) {
        this.server = server;
        this.data = data;
        server.createContext("/", this::handle);
        new ChannelProviders(json, ChannelProviders.Config.fromEnvironment()).register(server);
        server.setExecutor(Executors.newFixedThreadPool(16));
    }

    /** Starts on 127.0.0.1 at {@code port} (0: any free port) with {@code customers} seeded customers. */
    public static BssOssSimulator start(int port, int customers) throws IOException {
        // Headers and body go out as separate writes: without TCP_NODELAY every answer waits for the
        // client's delayed ACK (about 40 ms), which would be the simulator's latency, not the BSS's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        BssOssSimulator simulator = new BssOssSimulator(server, OperatorData.seeded(customers, LocalDate.now()));
        server.start();
        return simulator;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        outageEvents.close();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8189;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        BssOssSimulator simulator = start(port, customers);
        System.out.printf("BSS/OSS and channel provider simulator listening on %s with %d customers%n", simulator.baseUrl(),
                customers);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/sim/")) {
                fixture(exchange, method, path);
                return;
            }
            served.incrementAndGet();
            long delay = delayMillis.get();
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                problem(exchange, 503, "Unavailable", "Injected failure");
                return;
            }
            Matcher m;
            if (method.equals("GET") && path.equals("/bss/v1/packages")) {
                send(exchange, 200, OperatorData.CATALOGUE);
            } else if (method.equals("GET") && path.equals("/bss/v1/contracts")) {
                java.time.LocalDate endingOn = java.time.LocalDate.parse(query(exchange).getOrDefault("endingOn", ""));
                send(exchange, 200, data.accounts.values().stream().filter(a -> endingOn.equals(a.contractEndDate()))
                        .sorted(java.util.Comparator.comparing(Account::customerId))
                        .map(a -> new OperatorData.Contract(a.customerId(), a.packageId(), a.contractEndDate(), a.preferredChannel()))
                        .toList());
            } else if ((m = ACCOUNT.matcher(path)).matches()) {
                account(exchange, method, m.group(1), m.group(2));
            } else if (method.equals("GET") && (m = LINE.matcher(path)).matches()) {
                Account account = data.accounts.get(m.group(1));
                if (account == null) {
                    problem(exchange, 404, "Not Found", "No line for customer " + m.group(1));
                } else {
                    send(exchange, 200, account.line());
                }
            } else if (method.equals("GET") && path.equals("/oss/v1/lines")) {
                linesInArea(exchange);
            } else if (method.equals("GET") && path.equals("/oss/v1/outages")) {
                String area = query(exchange).get("area");
                send(exchange, 200, data.outages.values().stream().filter(o -> area == null || o.area().equals(area)).toList());
            } else {
                problem(exchange, 404, "Not Found", "No such resource: " + method + " " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem(exchange, 400, "Bad Request", String.valueOf(e.getMessage()));
        }
    }

    private void account(HttpExchange exchange, String method, String customerId, String sub) throws IOException {
        Account account = data.accounts.get(customerId);
        if (account == null) {
            problem(exchange, 404, "Not Found", "No account for customer " + customerId);
        } else if (sub == null && method.equals("GET")) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("customerId", account.customerId());
            view.put("msisdn", account.msisdn());
            view.put("packageId", account.packageId());
            view.put("contractEndDate", account.contractEndDate());
            view.put("contractLocked", account.contractLocked());
            view.put("balanceCents", account.balanceCents());
            view.put("preferredChannel", account.preferredChannel());
            send(exchange, 200, view);
        } else if ("/bill".equals(sub) && method.equals("GET")) {
            send(exchange, 200, account.bill());
        } else if ("/usage".equals(sub) && method.equals("GET")) {
            send(exchange, 200, account.usage() == null ? new OperatorData.Usage(0, 0) : account.usage());
        } else if ("/package-changes".equals(sub) && method.equals("POST")) {
            changePackage(exchange, account);
        } else {
            problem(exchange, 405, "Method Not Allowed", method + " is not supported here");
        }
    }

    /** The BSS enforces its own rules too: an allowed target, a balance that covers the fee, no lock on a fee-bearing change. */
    private synchronized void changePackage(HttpExchange exchange, Account account) throws IOException {
        Map<?, ?> body = json.readValue(exchange.getRequestBody(), Map.class);
        String target = String.valueOf(body.get("targetPackageId"));
        String reference = String.valueOf(body.get("reference"));
        PackageChange earlier = data.changesByReference.get(reference);
        if (earlier != null) {
            if (lostChangeAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // the repeat's answer lost too
            }
            send(exchange, 200, earlier);
            return;
        }
        Target allowed = OperatorData.pkg(account.packageId()).allowedTargets().stream()
                .filter(t -> t.packageId().equals(target)).findFirst().orElse(null);
        if (allowed == null) {
            problem(exchange, 409, "Conflict", "Package " + target + " cannot be reached from " + account.packageId());
        } else if (allowed.feeCents() > account.balanceCents()) {
            problem(exchange, 409, "Conflict", "Balance does not cover the change fee");
        } else if (allowed.feeCents() > 0 && account.contractLocked()) {
            problem(exchange, 409, "Conflict", "The contract locks this package until " + account.contractEndDate());
        } else {
            PackageChange change = new PackageChange("PC-" + UUID.randomUUID(), account.customerId(), reference,
                    account.packageId(), target, allowed.feeCents());
            data.accounts.put(account.customerId(), account.withPackage(target, allowed.feeCents()));
            data.changesByReference.put(reference, change);
            if (lostChangeAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // made, but the caller never hears so: the exchange closes without an answer
            }
            send(exchange, 201, change);
        }
    }

    private void fixture(HttpExchange exchange, String method, String path) throws IOException {
        Matcher m;
        if (path.equals("/sim/health")) {
            send(exchange, 200, Map.of("status", "UP", "customers", data.accounts.size(), "seeded", data.seeded,
                    "served", served.get()));
        } else if (method.equals("PUT") && (m = SIM_ACCOUNT.matcher(path)).matches()) {
            Account account = json.readValue(exchange.getRequestBody(), Account.class);
            data.accounts.put(m.group(1), new Account(m.group(1), account.msisdn(), account.packageId(), account.contractEndDate(),
                    account.contractLocked(), account.balanceCents(), account.preferredChannel(), account.bill(), account.line(),
                    account.usage()));
            send(exchange, 200, data.accounts.get(m.group(1)));
        } else if (method.equals("GET") && (m = SIM_ACCOUNT.matcher(path)).matches()) {
            Account account = data.accounts.get(m.group(1));
            if (account == null) {
                problem(exchange, 404, "Not Found", "No account " + m.group(1));
            } else {
                send(exchange, 200, account);
            }
        } else if (method.equals("PUT") && (m = SIM_OUTAGE.matcher(path)).matches()) {
            Outage outage = json.readValue(exchange.getRequestBody(), Outage.class);
            Outage opened = new Outage(m.group(1), outage.area(), outage.cause(), outage.since(), outage.expectedRestore());
            if (data.outages.put(m.group(1), opened) == null) {
                outageEvents.opened(opened);
            }
            send(exchange, 200, data.outages.get(m.group(1)));
        } else if (method.equals("DELETE") && (m = SIM_OUTAGE.matcher(path)).matches()) {
            Outage cleared = data.outages.remove(m.group(1));
            if (cleared != null) {
                outageEvents.cleared(cleared);
            }
            send(exchange, 200, Map.of("removed", m.group(1)));
        } else if (method.equals("PUT") && path.equals("/sim/outage-events")) {
            Map<String, String> subscription = json.readValue(exchange.getRequestBody(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            outageEvents.subscribe(subscription.get("url"), subscription.get("secret"));
            send(exchange, 200, Map.of("url", String.valueOf(subscription.get("url"))));
        } else if (method.equals("GET") && path.equals("/sim/package-changes")) {
            String customer = query(exchange).get("customerId");
            send(exchange, 200, data.changesByReference.values().stream()
                    .filter(c -> customer == null || c.customerId().equals(customer)).toList());
        } else if (method.equals("PUT") && path.equals("/sim/faults")) {
            Map<String, Object> faults = json.readValue(exchange.getRequestBody(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            failuresToInject.set(((Number) faults.getOrDefault("failures", 0)).intValue());
            delayMillis.set(((Number) faults.getOrDefault("delayMs", 0)).longValue());
            lostChangeAnswers.set(((Number) faults.getOrDefault("lostChangeAnswers", 0)).intValue());
            send(exchange, 200, faults);
        } else {
            problem(exchange, 404, "Not Found", "No such fixture: " + method + " " + path);
        }
    }

    /** The customers whose line is in an area, by customer id, a page at a time ({@code after} the last one seen). */
    private void linesInArea(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange);
        String area = q.get("area");
        if (area == null || area.isBlank()) {
            problem(exchange, 400, "Bad Request", "area is required");
            return;
        }
        String after = q.getOrDefault("after", "");
        int limit = Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("limit", "500"))));
        send(exchange, 200, data.accounts.values().stream()
                .filter(a -> a.line() != null && area.equals(a.line().area()) && a.customerId().compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(Account::customerId)).limit(limit)
                .map(a -> Map.of("customerId", a.customerId(), "lineId", a.line().lineId(), "area", a.line().area()))
                .toList());
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        byte[] bytes = json.writeValueAsBytes(Map.of("type", "about:blank", "title", title, "status", status, "detail", detail));
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
