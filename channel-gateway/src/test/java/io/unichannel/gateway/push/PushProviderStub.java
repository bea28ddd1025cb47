package io.unichannel.gateway.push;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for the push provider (Huawei Push Kit's server API), which cannot be reached from
 * here: a real HTTP server on loopback with its OAuth token endpoint (client credentials, the app
 * id and secret) and {@code POST /v1/{appId}/messages:send}, answering with its result codes.
 * Tokens put in {@link #UNKNOWN} are ones the provider no longer knows.
 */
public class PushProviderStub implements QuarkusTestResourceLifecycleManager {

    static final String APP_ID = "10086001";
    static final String APP_SECRET = "push-app-secret-for-tests";
    /** Messages accepted (the request bodies), in order. */
    static final LinkedBlockingQueue<JsonNode> SENT = new LinkedBlockingQueue<>();
    static final Set<String> UNKNOWN = ConcurrentHashMap.newKeySet();
    /** How many coming sends answer 503 (traffic control), and how many access tokens were issued. */
    static final AtomicInteger FAIL_NEXT = new AtomicInteger();
    static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/oauth2/v3/token", this::token);
        server.createContext("/v1/", this::send);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("gateway.push.enabled", "true", "gateway.push.app-id", APP_ID,
                "quarkus.oidc-client.push.credentials.client-secret.value", APP_SECRET,
                "quarkus.rest-client.push.url", base, "quarkus.oidc-client.push.auth-server-url", base);
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!form.contains("grant_type=client_credentials") || !form.contains("client_id=" + APP_ID)
                || !form.contains("client_secret=" + APP_SECRET)) {
            answer(exchange, 400, "{\"error\":\"invalid_client\",\"error_description\":\"bad credentials\"}");
            return;
        }
        String token = "push-access-" + UUID.randomUUID();
        ISSUED.add(token);
        TOKENS_ISSUED.incrementAndGet();
        answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private void send(HttpExchange exchange) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!exchange.getRequestURI().getPath().equals("/v1/" + APP_ID + "/messages:send")) {
            answer(exchange, 404, "{\"code\":\"80100001\",\"msg\":\"no such app\"}");
            return;
        }
        if (!authorization.startsWith("Bearer ") || !ISSUED.contains(authorization.substring(7))) {
            answer(exchange, 401, "{\"code\":\"80200001\",\"msg\":\"Oauth authentication error\"}");
            return;
        }
        if (FAIL_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 503, "{\"code\":\"81000001\",\"msg\":\"traffic control\"}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        JsonNode message = body.path("message");
        List<String> tokens = new ArrayList<>();
        message.path("token").forEach(t -> tokens.add(t.asText()));
        if (tokens.isEmpty() || tokens.size() > 1000 || message.at("/notification/title").asText().isEmpty()) {
            answer(exchange, 400, "{\"code\":\"80100003\",\"msg\":\"Illegal payload\"}");
            return;
        }
        List<String> illegal = tokens.stream().filter(UNKNOWN::contains).toList();
        String requestId = String.valueOf(System.nanoTime());
        if (illegal.size() == tokens.size()) {
            answer(exchange, 400, "{\"code\":\"80300007\",\"msg\":\"All the tokens are invalid\",\"requestId\":\"" + requestId + "\"}");
            return;
        }
        SENT.add(body);
        if (illegal.isEmpty()) {
            answer(exchange, 200, "{\"code\":\"80000000\",\"msg\":\"Success\",\"requestId\":\"" + requestId + "\"}");
        } else {
            String detail = JSON.writeValueAsString(Map.of("success", tokens.size() - illegal.size(), "failure", illegal.size(),
                    "illegal_tokens", illegal));
            answer(exchange, 200, JSON.writeValueAsString(Map.of("code", "80100000", "msg", detail, "requestId", requestId)));
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
