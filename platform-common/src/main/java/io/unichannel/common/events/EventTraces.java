package io.unichannel.common.events;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a trace follows an event: the W3C {@code traceparent} of the change that caused it travels in
 * the Kafka record's headers and, through the outbox, in the outbox row, so one trace runs from a
 * channel's request to every stream that shows its progress. Nothing but trace and span ids is
 * carried; with tracing switched off every method here is a cheap no-op.
 */
public final class EventTraces {

    public static final String TRACEPARENT = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /** The trace of each item a batch consumer is applying, while it applies them (see BatchProcessor). */
    private static final Map<Object, Context> APPLYING = Collections.synchronizedMap(new IdentityHashMap<>());

    private static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> HEADER_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return java.util.Arrays.stream(headers.toArray()).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            return headers == null ? null : CloudEventRecords.text(headers, key);
        }
    };

    private static final TextMapGetter<String> TRACEPARENT_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private EventTraces() {
    }

    /** Writes the context's span into the record headers (nothing when no span is sampled). */
    public static void inject(Context context, Headers headers) {
        if (Span.fromContext(context).getSpanContext().isValid()) {
            W3C.inject(context, headers, HEADER_SETTER);
        }
    }

    /** The trace a record's producer was in; the root context when it carried none. */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, HEADER_GETTER);
    }

    /** The current span as a W3C traceparent value, or null when none is recorded. */
    public static String traceparent(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** A context whose parent is the span a traceparent names; the root context when it is null or malformed. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), traceparent, TRACEPARENT_GETTER);
    }

    /** While a batch consumer applies {@code item}: the trace of the record it came from. */
    public static void applying(Object item, Context context) {
        if (Span.fromContext(context).getSpanContext().isValid()) {
            APPLYING.put(item, context);
        }
    }

    public static void applied(Object item) {
        APPLYING.remove(item);
    }

    /**
     * The trace an event caused by {@code item} belongs to: the record it was read from when a
     * batch consumer is applying it, else the current one (a request being served, say).
     */
    public static Context of(Object item) {
        Context context = APPLYING.get(item);
        return context != null ? context : Context.current();
    }
}
