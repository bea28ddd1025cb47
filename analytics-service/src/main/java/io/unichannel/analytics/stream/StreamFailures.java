package io.unichannel.analytics.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * What happens when a stream thread fails with an exception the topology did not expect (records
 * it cannot read are dead-lettered before they get that far): the thread is replaced and carries on
 * from its last commit, so one surprise does not stop the KPIs. A failure that keeps coming back
 * (more than {@link #MAX_REPLACEMENTS} in {@link #WINDOW}) is not a surprise but a fault: the client
 * stops, its queries answer 503 and the liveness check reports it, for an operator to look at.
 * The Quarkus Kafka Streams extension installs this bean before it starts the client.
 */
@ApplicationScoped
public class StreamFailures implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final Deque<Long> replacements = new ArrayDeque<>();
    private final MeterRegistry metrics;
    private final Clock clock;

    public StreamFailures(MeterRegistry metrics) {
        this(metrics, Clock.systemUTC());
    }

    StreamFailures(MeterRegistry metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = clock.millis();
        while (!replacements.isEmpty() && replacements.peekFirst() < now - WINDOW.toMillis()) {
            replacements.pollFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            Log.errorf(exception, "Stream thread failed again (%d replacements in %s): stopping the KPI streams",
                    replacements.size(), WINDOW);
            metrics.counter("analytics.stream.failures", "response", "shutdown").increment();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        Log.errorf(exception, "Stream thread failed; replaced, it carries on from its last commit");
        metrics.counter("analytics.stream.failures", "response", "replace").increment();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
