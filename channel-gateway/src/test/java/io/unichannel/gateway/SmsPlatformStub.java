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
 * Stands in for the operator's SMS platform, which cannot be reached from here: a real HTTP
 * server on loopback that records what the gateway sends it. Everything up to the HTTP call is
 * the real gateway.
 */
public class SmsPlatformStub implements QuarkusTestResourceLifecycleManager {

    /** Message bodies (JSON) received, in order. */
    static final LinkedBlockingQueue<String> RECEIVED = new LinkedBlockingQueue<>();
    /** How many coming calls the platform answers 503 (an outage), and how many calls it saw in all. */
    static final java.util.concurrent.atomic.AtomicInteger FAIL_NEXT = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();
    /** While true, every call is answered 503: the platform is down. */
    public static volatile boolean down;
    /** Run with each accepted message before the platform answers (a receipt that overtakes the answer). */
    static volatile java.util.function.Consumer<String> beforeAnswer = body -> { };
    private HttpServer server;

    /**
     * The next message that contains {@code text} (a number, a reference), or null when none comes
     * within {@code seconds}; messages to other customers (other tests' held notices, codes) are passed over.
     */
    public static String next(String text, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            String message = RECEIVED.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (message != null && message.contains(text)) {
                return message;
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
        server.createContext("/sms", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CALLS.incrementAndGet();
            if (down || FAIL_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                RECEIVED.add(body);
                beforeAnswer.accept(body);
                exchange.sendResponseHeaders(202, -1);
            }
            exchange.close();
        });
        server.start();
        return Map.of("gateway.sms.url", "http://127.0.0.1:" + server.getAddress().getPort() + "/sms");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
