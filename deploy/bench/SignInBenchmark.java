import java.io.IOException;
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
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sign-on benchmark against a running platform (./platform bench sign-in): latency and throughput
 * of each way a customer gets a channel token, next to Keycloak's own grants measured in the same
 * run (the floor identity-service's flows stand on).
 *
 * <p>Arguments: identity-service URL, Keycloak URL, realm, output markdown file. Uses the seed
 * file's staff (agent-li) and the local client secrets.
 */
public class SignInBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final int SAMPLES = 200;
    private static final int THREADS = 8;
    private static final Duration THROUGHPUT_WINDOW = Duration.ofSeconds(10);

    static String identity;
    static String tokenUrl;

    public static void main(String[] args) throws Exception {
        identity = args[0];
        tokenUrl = args[1] + "/realms/" + args[2] + "/protocol/openid-connect/token";
        Path out = Path.of(args[3]);

        String agent = token(form("grant_type", "password", "client_id", "staff-console", "username", "agent-li",
                "password", "agent-local-pw"));
        int customers = 40;
        List<String[]> registered = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String msisdn = "135" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
            String body = "{\"name\":\"Bench " + suffix + "\",\"msisdn\":\"" + msisdn + "\",\"appAccount\":\"bench-" + suffix
                    + "\",\"password\":\"Pw-" + suffix + "-bench\",\"wechatOpenId\":\"oBench" + suffix + "\"}";
            String created = send(post(identity + "/api/v1/customers", agent, body), 201);
            registered.add(new String[] {match(ID, created), "bench-" + suffix, "Pw-" + suffix + "-bench", "oBench" + suffix});
        }
        String wechatAdapter = token(form("grant_type", "client_credentials", "client_id", "channel-wechat",
                "client_secret", "channel-wechat-local-secret"));
        String appToken = token(form("grant_type", "password", "client_id", "channel-app", "username", registered.get(0)[1],
                "password", registered.get(0)[2]));

        List<Row> rows = new ArrayList<>();
        System.out.println("warming up ...");
        run("warm-up", i -> () -> wechatSignIn(wechatAdapter, registered.get(i % customers)[3]), 1000);

        rows.add(measure("Keycloak: client-credentials grant (channel-wechat)", i -> () -> token(form("grant_type",
                "client_credentials", "client_id", "channel-wechat", "client_secret", "channel-wechat-local-secret"))));
        rows.add(measure("Keycloak: password grant on the APP (argon2 hash check)", i -> () -> token(form("grant_type",
                "password", "client_id", "channel-app", "username", registered.get(i % customers)[1],
                "password", registered.get(i % customers)[2]))));
        rows.add(measure("Keycloak: token exchange APP -> hotline", i -> () -> token(form("grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", "channel-hotline",
                "client_secret", "channel-hotline-local-secret", "subject_token", appToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"))));
        rows.add(measure("identity-service: WeChat sign-in by openid (resolve + RFC 7523 assertion + Keycloak)",
                i -> () -> wechatSignIn(wechatAdapter, registered.get(i % customers)[3])));
        rows.add(measure("identity-service: resolve openid -> customer",
                i -> () -> send(get(identity + "/api/v1/resolve?type=wechatOpenId&externalId=" + registered.get(i % customers)[3],
                        wechatAdapter), 200)));

        StringBuilder md = new StringBuilder();
        md.append("| operation | p50 ms | p95 ms | p99 ms | throughput, ").append(THREADS).append(" clients |\n");
        md.append("|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(row.name).append(" | ").append(fmt(row.p50)).append(" | ").append(fmt(row.p95))
                    .append(" | ").append(fmt(row.p99)).append(" | ").append(String.format("%.0f/s", row.throughput)).append(" |\n");
        }
        Files.writeString(out, md.toString());
        System.out.print(md);
    }

    record Row(String name, double p50, double p95, double p99, double throughput) {
    }

    interface Call {
        void run() throws Exception;
    }

    private static Row measure(String name, IntFunction<Call> call) throws Exception {
        System.out.println(name + " ...");
        double[] latencies = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            call.apply(i).run();
            latencies[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(latencies);
        double throughput = run(name, call, -1);
        return new Row(name, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), throughput);
    }

    /** Runs the call from THREADS clients for the window (or count calls); returns calls per second. */
    private static double run(String name, IntFunction<Call> call, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + THROUGHPUT_WINDOW.toNanos();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int offset = t;
            pool.execute(() -> {
                int i = offset;
                while (count < 0 ? System.nanoTime() < end : done.get() < count) {
                    try {
                        call.apply(i).run();
                        done.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    i += THREADS;
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.MINUTES);
        if (errors.get() > 0) {
            System.out.println("  " + errors.get() + " errors during " + name);
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void wechatSignIn(String adapter, String openId) throws Exception {
        send(post(identity + "/api/v1/sign-in/wechat", adapter, "{\"openId\":\"" + openId + "\"}"), 200);
    }

    private static String token(String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return match(TOKEN, send(request, 200));
    }

    private static HttpRequest post(String url, String bearer, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest get(String url, String bearer) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).GET().build();
    }

    private static String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            form.append(i == 0 ? "" : "&").append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
        return m.group(1);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String fmt(double ms) {
        return String.format("%.1f", ms);
    }
}
