package io.unichannel.gateway.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands a text message to the operator's SMS platform over HTTP (JSON {@code to}, {@code text},
 * {@code reference}; optional bearer token). Blocking; called from the dispatcher's own thread.
 */
@ApplicationScoped
public class SmsSender {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Optional<String> url;
    private final Optional<String> token;
    private final ObjectMapper json;

    public SmsSender(@ConfigProperty(name = "gateway.sms.url") Optional<String> url,
            @ConfigProperty(name = "gateway.sms.token") Optional<String> token, ObjectMapper json) {
        this.url = url.filter(u -> !u.isBlank());
        this.token = token.filter(t -> !t.isBlank());
        this.json = json;
    }

    public boolean configured() {
        return url.isPresent();
    }

    /** @throws IOException when the SMS platform is unreachable or refuses the message */
    public void send(String to, String text, String reference) throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("to", to);
        body.put("text", text);
        body.put("reference", reference);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.orElseThrow()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<Void> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("SMS platform answered HTTP " + response.statusCode());
        }
    }
}
