package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.unichannel.common.privacy.PersonalDataSpanFilter;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** How a trace rides on a Kafka record and in an outbox row, and what a span may hold. */
class EventTracesTest {

    private final List<ReadableSpan> ended = new ArrayList<>();
    private final Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(new PersonalDataSpanFilter())
            .addSpanProcessor(new SpanProcessor() {
                @Override
                public void onStart(Context parent, ReadWriteSpan span) {
                }

                @Override
                public boolean isStartRequired() {
                    return false;
                }

                @Override
                public void onEnd(ReadableSpan span) {
                    ended.add(span);
                }

                @Override
                public boolean isEndRequired() {
                    return true;
                }
            }).build().get("test");

    @Test
    void aRecordCarriesTheSpanItWasPublishedInAndTheConsumerContinuesIt() {
        Span producer = tracer.spanBuilder("ticket-events publish").startSpan();
        RecordHeaders headers = new RecordHeaders();
        EventTraces.inject(Context.root().with(producer), headers);
        SpanContext read = Span.fromContext(EventTraces.extract(headers)).getSpanContext();
        assertThat(read.getTraceId()).isEqualTo(producer.getSpanContext().getTraceId());
        assertThat(read.getSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
        assertThat(read.isRemote()).isTrue();
    }

    @Test
    void anOutboxRowKeepsTheTraceOfTheChangeThatWroteIt() {
        Span change = tracer.spanBuilder("channel-requests process").startSpan();
        String traceparent = EventTraces.traceparent(Context.root().with(change));
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        SpanContext back = Span.fromContext(EventTraces.fromTraceparent(traceparent)).getSpanContext();
        assertThat(back.getTraceId()).isEqualTo(change.getSpanContext().getTraceId());
        assertThat(back.getSpanId()).isEqualTo(change.getSpanContext().getSpanId());
    }

    @Test
    void withoutATraceNothingIsWrittenAndNothingIsInvented() {
        RecordHeaders headers = new RecordHeaders();
        EventTraces.inject(Context.root(), headers);
        assertThat(headers.toArray()).isEmpty();
        assertThat(EventTraces.traceparent(Context.root())).isNull();
        assertThat(Span.fromContext(EventTraces.extract(headers)).getSpanContext().isValid()).isFalse();
    }

    @Test
    void generatedMalformedTraceHeadersStartNoTraceAndThrowNothing() {
        Random random = new Random(621);
        String alphabet = "0123456789abcdefABCDEF-xz \u0000\u00e9";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder value = new StringBuilder(i % 3 == 0 ? "00-" : "");
            int length = random.nextInt(70);
            for (int c = 0; c < length; c++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventTraces.TRACEPARENT, value.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(Span.fromContext(EventTraces.extract(headers)).getSpanContext().isValid()).as(value.toString())
                    .isFalse();
            assertThat(Span.fromContext(EventTraces.fromTraceparent(value.toString())).getSpanContext().isValid())
                    .isFalse();
        }
    }

    @Test
    void aBatchItemsEventsJoinTheTraceOfTheRecordItCameFrom() {
        Object item = new Object();
        Span record = tracer.spanBuilder("channel-requests process").startSpan();
        EventTraces.applying(item, Context.root().with(record));
        assertThat(Span.fromContext(EventTraces.of(item)).getSpanContext()).isEqualTo(record.getSpanContext());
        EventTraces.applied(item);
        assertThat(Span.fromContext(EventTraces.of(item)).getSpanContext().isValid()).isFalse();
    }

    @Test
    void phoneAndIdNumbersNeverReachASpan() {
        tracer.spanBuilder("GET /api/v1/customers").setAttribute("url.query", "phone=13812345678&id=110101199003071234")
                .setAttribute("url.path", "/api/v1/requests/abc").startSpan().end();
        assertThat(ended).hasSize(1);
        String query = ended.get(0).getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("url.query"));
        assertThat(query).doesNotContain("13812345678").doesNotContain("110101199003071234").contains("phone=");
        assertThat(ended.get(0).getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("url.path")))
                .isEqualTo("/api/v1/requests/abc");
    }

    @Test
    void aConsumerOfATracedRecordWorksInAChildSpanAndAnUntracedRecordGetsNone() {
        Span producer = tracer.spanBuilder("notifications publish").startSpan();
        org.apache.kafka.clients.consumer.ConsumerRecord<String, String> traced =
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("notifications", 2, 41L, "k", "v");
        EventTraces.inject(Context.root().with(producer), traced.headers());
        ConsumerTracing consumers = new ConsumerTracing(tracer);
        try (ConsumerTracing.Traced ignored = consumers.process(traced)) {
            assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo(producer.getSpanContext().getTraceId());
        }
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).getName()).isEqualTo("notifications process");
        assertThat(ended.get(0).getParentSpanContext().getSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
        assertThat(Span.current().getSpanContext().isValid()).isFalse();

        try (ConsumerTracing.Traced ignored = consumers.process(
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("notifications", 0, 1L, "k", "v"))) {
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
        }
        assertThat(ended).hasSize(1);
    }
}
