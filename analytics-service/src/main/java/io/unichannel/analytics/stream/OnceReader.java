package io.unichannel.analytics.stream;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.analytics.Contribution;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reader of a topic whose events count once each by some id (a survey answer by its invitation, a
 * call by its call id): ids seen are kept in a store for {@link #KEEP} so a replay counts nothing.
 */
class OnceReader extends Reader {

    static final Duration KEEP = Duration.ofDays(8);

    private final String storeName;
    private final Function<JsonNode, String> idOf;
    private final BiFunction<String, JsonNode, List<Contribution>> contributions;
    private KeyValueStore<String, Long> seen;

    OnceReader(String storeName, Function<JsonNode, String> idOf, BiFunction<String, JsonNode, List<Contribution>> contributions) {
        this.storeName = storeName;
        this.idOf = idOf;
        this.contributions = contributions;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        super.init(context);
        seen = context.getStateStore(storeName);
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, now -> {
            try (var all = seen.all()) {
                while (all.hasNext()) {
                    var entry = all.next();
                    if (entry.value < now - KEEP.toMillis()) {
                        seen.delete(entry.key);
                    }
                }
            }
        });
    }

    @Override
    void read(Record<String, String> record, JsonNode value) {
        List<Contribution> out = contributions.apply(eventType(record, value), value);
        if (out.isEmpty()) {
            return;
        }
        String id = idOf.apply(value);
        if (id == null) {
            throw new IllegalArgumentException("no id to count this event once by");
        }
        if (seen.get(id) != null) {
            return;
        }
        seen.put(id, System.currentTimeMillis());
        forward(record, out);
    }
}
