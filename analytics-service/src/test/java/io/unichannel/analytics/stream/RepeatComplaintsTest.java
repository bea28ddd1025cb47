package io.unichannel.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.unichannel.analytics.ComplaintFact;
import io.unichannel.analytics.Contribution;
import io.unichannel.analytics.Dimensions;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** A person's kept complaints stay bounded however many they file, and repeats are still told. */
class RepeatComplaintsTest {

    @Test
    void aFloodOfComplaintsFromOnePersonKeepsTheStoreEntryBounded() {
        MockProcessorContext<String, Contribution> context = new MockProcessorContext<>();
        KeyValueStore<String, RepeatComplaints.Recent> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(RepeatComplaints.STORE), Serdes.String(),
                new io.quarkus.kafka.client.serialization.ObjectMapperSerde<>(RepeatComplaints.Recent.class)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        RepeatComplaints processor = new RepeatComplaints();
        processor.init(context);
        long start = 1_700_000_000_000L;
        Dimensions dims = new Dimensions("app", "complaint", "gz-tianhe", null, null);
        for (int i = 0; i < 3_000; i++) {
            processor.process(new Record<>("C-flood", new ComplaintFact("TT-" + i, "C-flood", dims, start + i * 1000L), start + i));
        }
        RepeatComplaints.Recent kept = store.get("C-flood");
        assertThat(kept.complaints()).hasSize(RepeatComplaints.MAX_KEPT);
        assertThat(kept.complaints().stream().mapToLong(ComplaintFact::at).min().orElseThrow())
                .isEqualTo(start + (3_000 - RepeatComplaints.MAX_KEPT) * 1000L);
        context.resetForwards();
        processor.process(new Record<>("C-flood", new ComplaintFact("TT-next", "C-flood", dims, start + 3_001_000L), start));
        List<MockProcessorContext.CapturedForward<? extends String, ? extends Contribution>> forwarded = context.forwarded();
        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).record().value().sums().numerator()).isEqualTo(1);
    }
}
