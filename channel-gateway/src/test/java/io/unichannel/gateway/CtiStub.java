package io.unichannel.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for the contact centre's CTI outbound API (docs/channels/cti.md): a real HTTP server
 * on loopback that takes IVR survey calls and records them; the test then plays the CTI posting
 * the keys back.
 */
public class CtiStub implements QuarkusTestResourceLifecycleManager {

    /** Survey calls asked for (JSON bodies), in order. */
    static final LinkedBlockingQueue<String> CALLS = new LinkedBlockingQueue<>();
    private HttpServer server;

    /** The survey call placed for this survey, or null within {@code seconds}; calls for other surveys are passed over. */
    static String callFor(String surveyId, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            String call = CALLS.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (call != null && call.contains("\"surveyId\":\"" + surveyId + "\"")) {
                return call;
            }
        }
        return null;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/survey-calls", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean authorised = "Bearer local-only-cti-api-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (authorised) {
                CALLS.add(body);
            }
            exchange.sendResponseHeaders(authorised ? 202 : 401, -1);
            exchange.close();
        });
        server.start();
        return Map.of("gateway.cti.outbound", "true",
                "quarkus.rest-client.cti.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
