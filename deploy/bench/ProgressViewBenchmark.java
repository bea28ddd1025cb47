import java.io.BufferedReader;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's progress view with a large history. Two commands:
 * {@code customer KEYCLOAK REALM ADMIN_USER ADMIN_PASSWORD} creates a bench customer and prints
 * its subject and an APP token (the shell then loads the history for it and a million other
 * requests straight into the view's tables); {@code measure GATEWAY TOKEN PID OUT} reads that
 * customer's requests through the gateway (list, one by one, the customer's stream) and reports
 * latencies and the gateway's resident memory.
 */
public class ProgressViewBenchmark {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        if (args[0].equals("customer")) {
            customer(args[1], args[2], args[3], args[4]);
        } else {
            measure(args[1], args[2], args[3], Path.of(args[4]));
        }
    }

    static void customer(String keycloak, String realm, String adminUser, String adminPassword) throws Exception {
        String admin = token(keycloak, "master", "admin-cli", adminUser, adminPassword);
        String username = "bench-view-" + Long.toHexString(System.nanoTime());
        String password = "Bench-" + Long.toHexString(System.nanoTime());
        String base = keycloak + "/admin/realms/" + realm;
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/users"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"enabled\":true,"
                        + "\"email\":\"" + username + "@bench.test\",\"emailVerified\":true,\"firstName\":\"Bench\","
                        + "\"lastName\":\"View\",\"credentials\":[{\"type\":\"password\",\"value\":\"" + password
                        + "\",\"temporary\":false}]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the bench customer failed: " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> role = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/roles/customer"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        HTTP.send(HttpRequest.newBuilder(URI.create(location + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + role.body() + "]")).build(),
                HttpResponse.BodyHandlers.discarding());
        String app = token(keycloak, realm, "channel-app", username, password);
        String payload = new String(Base64.getUrlDecoder().decode(app.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher sub = Pattern.compile("\"sub\":\"([^\"]+)\"").matcher(payload);
        sub.find();
        System.out.println(sub.group(1) + " " + app);
    }

    static void measure(String gateway, String token, String pid, Path out) throws Exception {
        HttpResponse<String> list = get(gateway + "/api/v1/requests?limit=200", token);
        List<String> ids = new ArrayList<>();
        Matcher id = Pattern.compile("\"requestId\":\"([0-9a-f-]{36})\"").matcher(list.body());
        while (id.find()) {
            ids.add(id.group(1));
        }
        if (list.statusCode() != 200 || ids.size() < 100) {
            throw new IllegalStateException("the bench customer's requests are not listed: " + list.statusCode());
        }
        double[] lists = time(100, () -> get(gateway + "/api/v1/requests?limit=50", token));
        double[] gets = new double[1000];
        for (int i = 0; i < gets.length; i++) {
            String requestId = ids.get(i % ids.size());
            long start = System.nanoTime();
            HttpResponse<String> one = get(gateway + "/api/v1/requests/" + requestId, token);
            gets[i] = (System.nanoTime() - start) / 1e6;
            if (one.statusCode() != 200) {
                throw new IllegalStateException("GET " + requestId + " answered " + one.statusCode());
            }
        }
        java.util.Arrays.sort(gets);
        long start = System.nanoTime();
        int steps = 0;
        HttpResponse<java.io.InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(gateway
                + "/api/v1/customers/me/events")).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            while (steps < 2000 && (line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    steps++;
                }
            }
        }
        double streamMs = (System.nanoTime() - start) / 1e6;
        String rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ? kB").replaceAll("\\s+", " ");
        String report = String.format("""
                | measure | value |
                |---|---|
                | list a page of 50 requests, p50 / p99 | %.1f / %.1f ms |
                | one request with its steps, p50 / p99 (1,000 calls) | %.1f / %.1f ms |
                | customer stream: history of %d steps delivered in | %.0f ms |
                | gateway resident memory after these reads | %s |
                """, pct(lists, 50), pct(lists, 99), pct(gets, 50), pct(gets, 99), steps, streamMs,
                rss.replace("VmRSS: ", ""));
        System.out.print(report);
        Files.writeString(out, report);
    }

    interface Call {
        HttpResponse<String> run() throws Exception;
    }

    static double[] time(int count, Call call) throws Exception {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms;
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String token(String keycloak, String realm, String client, String username, String password) throws Exception {
        String form = "grant_type=password&client_id=" + client + "&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak + "/realms/" + realm
                        + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("sign-in on " + client + " failed: " + response.body());
        }
        return m.group(1);
    }
}
