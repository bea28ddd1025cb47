package io.unichannel.gateway.push;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sends one push notice to a customer's installations through the push provider. Each call is
 * bounded (timeout, two quick retries, a circuit breaker); an outage (HTTP 401, 5xx, 503 traffic
 * control) is thrown for the caller to wait out; what the provider refuses is an answer, with the
 * tokens it no longer knows. Blocking; called from a worker thread.
 */
@ApplicationScoped
public class PushSender {

    static final String SENT = "80000000";
    static final String PARTLY_SENT = "80100000";
    static final String EVERY_TOKEN_INVALID = "80300007";

    /** The provider's answer: sent (to at least one installation) or refused, and the tokens to forget. */
    public record Result(boolean sent, String code, List<String> invalidTokens) {
    }

    /** The provider could not take the message now. */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    private final PushKit kit;
    private final ObjectMapper json;
    private final boolean enabled;
    private final String appId;

    public PushSender(@RestClient PushKit kit, ObjectMapper json, @ConfigProperty(name = "gateway.push.enabled") boolean enabled,
            @ConfigProperty(name = "gateway.push.app-id") String appId) {
        this.kit = kit;
        this.json = json;
        this.enabled = enabled;
        this.appId = appId;
    }

    public boolean configured() {
        return enabled;
    }

    @Timeout(value = 6, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100, maxDuration = 20, durationUnit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    public Result send(List<String> tokens, String title, String body, String deepLink, Map<String, String> data) {
        String payload;
        try {
            payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        PushKit.Send message = new PushKit.Send(false, new PushKit.Message(new PushKit.Notification(title, body), payload,
                new PushKit.Android("NORMAL", "86400s", new PushKit.AndroidNotification(title, body,
                        new PushKit.ClickAction(1, deepLink))), tokens));
        try (Response response = call(message)) {
            int status = response.getStatus();
            JsonNode answer = readAnswer(response);
            String code = answer.path("code").asText("");
            if (status == 401 || status >= 500 || status == 429 || status == 408) {
                throw new Unavailable("push provider answered HTTP " + status + " " + code);
            }
            return switch (code) {
                case SENT -> new Result(true, code, List.of());
                case PARTLY_SENT -> partly(answer, code, tokens.size());
                case EVERY_TOKEN_INVALID -> new Result(false, code, tokens);
                default -> new Result(false, code.isEmpty() ? "http-" + status : code, List.of());
            };
        }
    }

    /** The provider's answer whatever its status (the client turns 4xx and 5xx into exceptions that carry it). */
    private Response call(PushKit.Send message) {
        try {
            return kit.send(appId, message);
        } catch (jakarta.ws.rs.WebApplicationException e) {
            return e.getResponse();
        }
    }

    /** 80100000: msg holds {"success":n,"failure":m,"illegal_tokens":[...]}. */
    private Result partly(JsonNode answer, String code, int asked) {
        List<String> illegal = new ArrayList<>();
        int success = 0;
        try {
            JsonNode detail = json.readTree(answer.path("msg").asText("{}"));
            detail.path("illegal_tokens").forEach(t -> illegal.add(t.asText()));
            success = detail.path("success").asInt(asked - illegal.size());
        } catch (JsonProcessingException e) {
            success = 1;
        }
        return new Result(success > 0, code, illegal);
    }

    private JsonNode readAnswer(Response response) {
        try {
            String text = response.hasEntity() ? response.readEntity(String.class) : "{}";
            return json.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (RuntimeException | JsonProcessingException e) {
            return json.createObjectNode();
        }
    }
}
