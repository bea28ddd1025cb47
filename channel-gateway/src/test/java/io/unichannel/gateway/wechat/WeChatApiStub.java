package io.unichannel.gateway.wechat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for the WeChat API on loopback, following its published contract: {@code GET
 * /cgi-bin/token} hands out an access token for the AppID and secret (a new one invalidates the
 * old, as WeChat does), {@code POST /cgi-bin/message/template/send} takes a template message with
 * a valid token and answers errcode 0 and a msgid, or 40001 for a stale token; {@code POST
 * /cgi-bin/message/custom/send} takes a customer-service message the same way.
 */
public class WeChatApiStub implements QuarkusTestResourceLifecycleManager {

    static final String APP_SECRET = "stub-app-secret";
    /** Template messages accepted (JSON bodies), in order. */
    static final LinkedBlockingQueue<String> TEMPLATES = new LinkedBlockingQueue<>();
    /** Customer-service messages accepted (JSON bodies), in order. */
    static final LinkedBlockingQueue<String> CUSTOMER_SERVICE = new LinkedBlockingQueue<>();
    static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
    /** While true, the message APIs answer HTTP 503, as WeChat does in an outage. */
    static volatile boolean down;
    private static volatile String currentToken = "none";
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/cgi-bin/token", exchange -> {
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if (!query.contains("grant_type=client_credential") || !query.contains("secret=" + APP_SECRET)) {
                answer(exchange, "{\"errcode\":40125,\"errmsg\":\"invalid appsecret\"}");
                return;
            }
            currentToken = "token-" + UUID.randomUUID();
            TOKENS_ISSUED.incrementAndGet();
            answer(exchange, "{\"access_token\":\"" + currentToken + "\",\"expires_in\":7200}");
        });
        server.createContext("/cgi-bin/message/template/send", exchange -> {
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!query.equals("access_token=" + currentToken)) {
                answer(exchange, "{\"errcode\":40001,\"errmsg\":\"invalid credential, access_token is invalid\"}");
                return;
            }
            TEMPLATES.add(body);
            answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":" + Math.abs(body.hashCode()) + "}");
        });
        server.createContext("/cgi-bin/message/custom/send", exchange -> {
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!query.equals("access_token=" + currentToken)) {
                answer(exchange, "{\"errcode\":40001,\"errmsg\":\"invalid credential, access_token is invalid\"}");
                return;
            }
            CUSTOMER_SERVICE.add(body);
            answer(exchange, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        });
        server.start();
        return Map.of("quarkus.rest-client.wechat-api.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "gateway.wechat.app-secret", APP_SECRET);
    }

    /** WeChat invalidates tokens at will (another system fetched one): the next call must fetch again. */
    static void invalidateToken() {
        currentToken = "revoked-" + UUID.randomUUID();
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
