package io.unichannel.common.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumer's span for a record that arrived in a trace: a child of its producer's span, named
 * {@code <topic> process}, so the trace of a request runs on into every consumer of its events.
 * Records that carry no trace get no span.
 */
@ApplicationScoped
public class ConsumerTracing {

    /** The record's span made current for the caller's thread; closing ends it. */
    public interface Traced extends AutoCloseable {
        @Override
        void close();
    }

    private static final Traced NONE = () -> {
    };

    private final Tracer tracer;

    public ConsumerTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The span of a record whose producer was traced, started; null when the record carries no trace. */
    public Context start(ConsumerRecord<?, ?> record) {
        Context producer = EventTraces.extract(record.headers());
        if (!Span.fromContext(producer).getSpanContext().isValid()) {
            return null;
        }
        Span span = tracer.spanBuilder(record.topic() + " process").setParent(producer).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        return producer.with(span);
    }

    /** For a consumer that handles one record on its own thread: the span is current until closed. */
    public Traced process(ConsumerRecord<?, ?> record) {
        Context context = start(record);
        if (context == null) {
            return NONE;
        }
        Scope scope = context.makeCurrent();
        return () -> {
            scope.close();
            Span.fromContext(context).end();
        };
    }
}
