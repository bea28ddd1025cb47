package io.unichannel.gateway.wechat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.unichannel.common.testing.ServiceProcess;

/**
 * identity-service as a process beside the gateway under test, which asks it who is behind an
 * openid. The gateway reaches it through a loopback relay that can be made slow ({@link #delayMillis}),
 * as an identity-service under load would be.
 */
public class IdentityServiceResource implements QuarkusTestResourceLifecycleManager {

    public static volatile ServiceProcess identity;
    /** How long the relay holds each call of the gateway to identity-service before passing it on. */
    public static volatile long delayMillis;
    /** While true, the relay answers every call 503, as identity-service in an outage. */
    public static volatile boolean down;
    /** When not 0, the relay answers every call with this status and a problem body, as identity-service refusing. */
    public static volatile int refuseWith;

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding");
    private HttpServer relay;

    @Override
    public Map<String, String> start() {
        identity = ServiceProcess.identityService().start();
        HttpClient client = HttpClient.newHttpClient();
        try {
            relay = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        relay.setExecutor(Executors.newCachedThreadPool());
        relay.createContext("/", exchange -> {
            try {
                Thread.sleep(delayMillis);
                if (down) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                int refusal = refuseWith;
                if (refusal != 0) {
                    byte[] problem = ("{\"type\":\"urn:unichannel:problem:invalid-request\",\"title\":\"Refused\",\"status\":"
                            + refusal + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.sendResponseHeaders(refusal, problem.length);
                    exchange.getResponseBody().write(problem);
                    return;
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(identity.baseUrl() + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                        values.forEach(value -> request.header(name, value));
                    }
                });
                HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                        values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                    }
                });
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        relay.start();
        return Map.of("quarkus.rest-client.identity.url", "http://127.0.0.1:" + relay.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.stop(0);
        }
        if (identity != null) {
            identity.close();
        }
    }
}
