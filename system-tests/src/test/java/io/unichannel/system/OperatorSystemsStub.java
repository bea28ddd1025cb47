package io.unichannel.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The operator's systems the gateway sends to, on loopback, for end-to-end runs of packaged
 * services: the push provider (Huawei Push Kit's token and send endpoints), the SMS platform and
 * the CTI's outbound survey calls. Each records what it was sent and answers as its contract says.
 */
final class OperatorSystemsStub implements AutoCloseable {

    static final String PUSH_APP_ID = "e2e-app";
    static final String PUSH_SECRET = "e2e-push-secret";

    final LinkedBlockingQueue<String> pushes = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> surveyCalls = new LinkedBlockingQueue<>();
    private final HttpServer server;

    OperatorSystemsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth2/v3/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            answer(exchange, 200, "{\"access_token\":\"e2e-push-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        });
        server.createContext("/v1/" + PUSH_APP_ID + "/messages:send", exchange -> {
            pushes.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 200, "{\"code\":\"80000000\",\"msg\":\"Success\",\"requestId\":\"" + System.nanoTime() + "\"}");
        });
        server.createContext("/v1/survey-calls", exchange -> {
            surveyCalls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 202, "{}");
        });
        server.createContext("/sms", exchange -> {
            texts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 202, "{}");
        });
        server.start();
    }

    /** channel-gateway settings that point every sender here. */
    Map<String, String> gatewaySettings() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("GATEWAY_PUSH_ENABLED", "true", "GATEWAY_PUSH_APP_ID", PUSH_APP_ID, "GATEWAY_PUSH_APP_SECRET", PUSH_SECRET,
                "GATEWAY_PUSH_URL", base, "GATEWAY_PUSH_OAUTH_URL", base, "GATEWAY_SMS_URL", base + "/sms",
                "GATEWAY_CTI_OUTBOUND", "true", "GATEWAY_CTI_URL", base);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
