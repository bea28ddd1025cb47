package io.unichannel.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OpenTelemetry collector on loopback, as an operator's would receive traces: it takes
 * OTLP/HTTP protobuf exports at {@code /v1/traces} and keeps every span for the test to read.
 */
final class LoopbackCollector implements AutoCloseable {

    /** One span as exported: the service that made it (resource service.name) and its attributes as text. */
    record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
            Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<ExportedSpan> spans = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    LoopbackCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                receive(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                synchronized (this) {
                    failures.add(e.toString());
                }
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The collector's OTLP/HTTP address (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; the exporter adds /v1/traces). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Exports the collector could not read. */
    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** What a service needs to export here promptly. */
    Map<String, String> settings() {
        return Map.of("OTEL_SDK_DISABLED", "false", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint(),
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
    }

    synchronized List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    private synchronized void receive(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).map(a -> text(a.getValue())).findFirst().orElse("?");
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                scope.getSpansList().forEach(span -> {
                    Map<String, String> attributes = new HashMap<>();
                    for (KeyValue attribute : span.getAttributesList()) {
                        attributes.put(attribute.getKey(), text(attribute.getValue()));
                    }
                    spans.add(new ExportedSpan(service, hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()), hex.formatHex(span.getParentSpanId().toByteArray()),
                            span.getName(), span.getKind().name(), attributes));
                });
            }
        }
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
