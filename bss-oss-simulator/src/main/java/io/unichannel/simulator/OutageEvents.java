package io.unichannel.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the OSS tells the platform when an area outage opens or clears (docs/integrations/bss-oss.md):
 * a signed POST of OutageOpened or OutageCleared to the platform's outage endpoint, repeated with
 * growing pauses (1 s, 2 s, 4 s ... 8 attempts) until it is answered 2xx, as an OSS's event
 * notifications are. Timestamp and signature headers as the SMS platform's: hex HMAC-SHA256 of the
 * timestamp, a newline and the body.
 */
final class OutageEvents {

    private static final int ATTEMPTS = 8;

    private final ObjectMapper json;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "oss-outage-events");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String url;
    private volatile String secret;

    OutageEvents(ObjectMapper json) {
        this.json = json;
        this.url = env("SIM_OUTAGE_EVENTS_URL", null);
        this.secret = env("SIM_OUTAGE_EVENTS_SECRET", "local-only-oss-events-secret");
    }

    /** Where the events go from now on (a test points them at its own ticket-service). */
    void subscribe(String newUrl, String newSecret) {
        this.url = newUrl;
        if (newSecret != null) {
            this.secret = newSecret;
        }
    }

    void opened(OperatorData.Outage outage) {
        publish("OutageOpened", outage);
    }

    void cleared(OperatorData.Outage outage) {
        publish("OutageCleared", outage);
    }

    private void publish(String type, OperatorData.Outage outage) {
        String target = url;
        if (target == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventType", type);
        event.put("eventTime", Instant.now().toString());
        event.put("outage", outage);
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        send(target, body, 1);
    }

    private void send(String target, String body, int attempt) {
        sender.execute(() -> {
            boolean accepted;
            try {
                HttpResponse<Void> response = client.send(signed(target, body), HttpResponse.BodyHandlers.discarding());
                accepted = response.statusCode() / 100 == 2;
                if (!accepted && response.statusCode() / 100 == 4 && response.statusCode() != 408 && response.statusCode() != 429) {
                    System.err.printf("Outage event refused by the platform (HTTP %d); not repeated%n", response.statusCode());
                    return;
                }
            } catch (Exception e) {
                accepted = false;
            }
            if (!accepted && attempt < ATTEMPTS) {
                sender.schedule(() -> send(target, body, attempt + 1), 1L << (attempt - 1), TimeUnit.SECONDS);
            }
        });
    }

    private HttpRequest signed(String target, String body) throws java.security.GeneralSecurityException {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        return HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("X-Oss-Timestamp", timestamp)
                .header("X-Oss-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    void close() {
        sender.shutdownNow();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
