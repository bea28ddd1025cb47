import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback stand-in for an OpenTelemetry collector, for benchmarks with tracing on: it takes
 * OTLP/HTTP trace exports at {@code /v1/traces}, answers each as a collector does (200, an empty
 * ExportTraceServiceResponse), and counts them; {@code GET /stats} tells how many exports and bytes
 * arrived. It decodes nothing, so it costs the services no more than a real collector's intake.
 *
 * <pre>java deploy/bench/OtlpSink.java [PORT]</pre> prints {@code listening on PORT} once ready.
 */
public class OtlpSink {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        AtomicLong exports = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
                exports.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.createContext("/stats", exchange -> {
            byte[] answer = ("exports=" + exports.get() + " bytes=" + bytes.get() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }
}
