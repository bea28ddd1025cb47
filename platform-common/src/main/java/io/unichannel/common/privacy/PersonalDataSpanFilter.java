package io.unichannel.common.privacy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps personal data out of traces: any text attribute a span starts with (a request's path or
 * query, say) has phone and ID numbers masked, as the log filter does for log lines. Our own spans
 * carry only ids, topics and offsets.
 */
@ApplicationScoped
public class PersonalDataSpanFilter implements SpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        span.getAttributes().forEach((key, value) -> {
            if (value instanceof String text) {
                String masked = Masking.text(text);
                if (!masked.equals(text)) {
                    @SuppressWarnings("unchecked")
                    AttributeKey<String> textKey = (AttributeKey<String>) key;
                    span.setAttribute(textKey, masked);
                }
            }
        });
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
