package io.unichannel.common.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * How every batch consumer tells poison from an outage. Each record is parsed on its own: one
 * that cannot be read goes to dead-letters with the reason. The rest are applied together; when
 * the store refuses the batch for its content, it is applied again one record at a time and only
 * the refused records are dead-lettered. Outages (database, broker) are retried until they pass,
 * never skipped. A record of the dead-letters topic itself is never dead-lettered again.
 */
@ApplicationScoped
public class BatchProcessor {

    /** Reads one record: empty when it is none of the consumer's business; throws when it is poison. */
    @FunctionalInterface
    public interface Parser<T> {
        Optional<T> parse(ConsumerRecord<String, String> record);
    }

    private record Parsed<T>(ConsumerRecord<String, String> record, T item) {
    }

    private final DeadLetters deadLetters;
    private final ConsumerTracing tracing;
    private final ConsumerMetrics metrics;

    public BatchProcessor(DeadLetters deadLetters, ConsumerTracing tracing, ConsumerMetrics metrics) {
        this.deadLetters = deadLetters;
        this.tracing = tracing;
        this.metrics = metrics;
    }

    public <T> Uni<Void> process(ConsumerRecords<String, String> records, Parser<T> parser,
            Function<List<T>, Uni<?>> apply) {
        List<Parsed<T>> parsed = new ArrayList<>();
        List<Uni<Void>> letters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            metrics.consumed(record);
            try {
                parser.parse(record).ifPresent(item -> parsed.add(new Parsed<>(record, item)));
            } catch (RuntimeException e) {
                // Whatever is wrong with one record, it must not stop the others.
                letters.add(setAside(record, e));
            }
        }
        List<T> items = parsed.stream().map(Parsed::item).toList();
        List<Span> spans = traceEach(parsed);
        Uni<Void> lettersSent = letters.isEmpty() ? Uni.createFrom().voidItem()
                : untilDone(Uni.join().all(letters).andFailFast().replaceWithVoid(), "Dead-lettering");
        Uni<Void> applied = apply.apply(items).replaceWithVoid();
        Uni<Void> done = lettersSent.chain(() -> untilDone(applied
                .onFailure(Failures::isPoison).recoverWithUni(e -> oneByOne(parsed, apply)),
                "Applying " + items.size() + " records"));
        return spans.isEmpty() ? done : done.onTermination().invoke(() -> {
            spans.forEach(Span::end);
            items.forEach(EventTraces::applied);
        });
    }

    /**
     * One consumer span per record that carries a trace, child of its producer's span; whatever the
     * item causes (an outbox event, say) joins that trace through {@link EventTraces#of}.
     */
    private <T> List<Span> traceEach(List<Parsed<T>> parsed) {
        List<Span> spans = new ArrayList<>();
        for (Parsed<T> p : parsed) {
            Context span = tracing.start(p.record());
            if (span != null) {
                spans.add(Span.fromContext(span));
                EventTraces.applying(p.item(), span);
            }
        }
        return spans;
    }

    private <T> Uni<Void> oneByOne(List<Parsed<T>> parsed, Function<List<T>, Uni<?>> apply) {
        return Multi.createFrom().iterable(parsed)
                .onItem().transformToUniAndConcatenate(p -> apply.apply(List.of(p.item())).replaceWithVoid()
                        .onFailure(Failures::isPoison).recoverWithUni(e -> setAside(p.record(), e)))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> setAside(ConsumerRecord<String, String> record, Throwable reason) {
        if (Topics.DEAD_LETTERS.equals(record.topic())) {
            Log.warnf("Ignoring an unreadable dead letter at %d@%d: %s", record.partition(), record.offset(),
                    reason.getMessage());
            return Uni.createFrom().voidItem();
        }
        return deadLetters.send(record, reason(reason));
    }

    private static Uni<Void> untilDone(Uni<Void> work, String what) {
        return work.onFailure().invoke(e -> Log.warnf("%s failed, retrying: %s", what, e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    /** The reason a letter gives: the rule broken, or what the store said. */
    static String reason(Throwable e) {
        if (e instanceof Failures.PoisonException || e instanceof IllegalArgumentException
                || e instanceof InvalidCloudEventException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "refused by the database: " + root.getMessage();
    }
}
