package io.unichannel.analytics.stream;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.kafka.client.serialization.ObjectMapperSerde;
import io.unichannel.analytics.AlertRule;
import io.unichannel.analytics.AlertRules;
import io.unichannel.analytics.ComplaintFact;
import io.unichannel.analytics.Contribution;
import io.unichannel.analytics.Readings;
import io.unichannel.analytics.Sums;
import io.unichannel.analytics.TicketFacts;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The KPI topology. Each input topic has a reader that turns its events into contributions
 * (ticket-events through each ticket's facts; survey answers and hotline calls counted once);
 * complaints go to their person's partition to find repeats; every contribution is summed into its
 * windows (published as KpiSnapshot) and into the alert watches of the rules on its KPI (published
 * as ServiceAlertRaised/Cleared). Records that can never be counted go to dead-letters. A new input
 * is one more reader. Runs exactly-once: a restart after a crash counts nothing twice.
 */
@ApplicationScoped
public class AnalyticsTopology {

    public static final String BUCKETS_STORE = KpiAggregator.STORE;
    public static final String ALERT_STATE_STORE = AlertWatch.STATE;
    public static final String TICKETS_STORE = TicketEventsReader.STORE;

    private final ZoneId zone;
    private final Duration beat;
    private final AlertRules rules;
    private final StreamTopics topics;

    /** The topics the topology reads and writes (the platform's unless configured otherwise). */
    @io.smallrye.config.ConfigMapping(prefix = "analytics.topics")
    public interface StreamTopics {
        String ticketEvents();

        String surveyEvents();

        String interactionEvents();

        String kpiSnapshots();

        String serviceAlerts();
    }

    public AnalyticsTopology(@ConfigProperty(name = "analytics.zone") ZoneId zone,
            @ConfigProperty(name = "analytics.beat") Duration beat, AlertRules rules, StreamTopics topics) {
        this.zone = zone;
        this.beat = beat;
        this.rules = rules;
        this.topics = topics;
    }

    @Produces
    public Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> text = Serdes.String();
        Serde<Contribution> contributions = new ObjectMapperSerde<>(Contribution.class);
        Serde<ComplaintFact> complaints = new ObjectMapperSerde<>(ComplaintFact.class);
        builder.addStateStore(store(TicketEventsReader.STORE, new ObjectMapperSerde<>(TicketFacts.class)));
        builder.addStateStore(store("answers-seen", Serdes.Long()));
        builder.addStateStore(store("calls-seen", Serdes.Long()));
        builder.addStateStore(store(RepeatComplaints.STORE, new ObjectMapperSerde<>(RepeatComplaints.Recent.class)));
        builder.addStateStore(store(KpiAggregator.STORE, new ObjectMapperSerde<>(Sums.class)));
        builder.addStateStore(store(KpiAggregator.CHANGED, Serdes.Long()));
        builder.addStateStore(store(AlertWatch.WINDOWS, new ObjectMapperSerde<>(Sums.class)));
        builder.addStateStore(store(AlertWatch.STATE, new ObjectMapperSerde<>(AlertWatch.Watch.class)));

        KStream<String, Routed> tickets = builder.stream(topics.ticketEvents(), Consumed.with(text, text).withName("ticket-events"))
                .process(TicketEventsReader::new, Named.as("ticket-reader"), TicketEventsReader.STORE);
        KStream<String, Routed> answers = builder.stream(topics.surveyEvents(), Consumed.with(text, text).withName("survey-events"))
                .process(() -> new OnceReader("answers-seen", v -> v.path("invitationId").asText(null), Readings::survey),
                        Named.as("survey-reader"), "answers-seen");
        KStream<String, Routed> calls = builder.stream(topics.interactionEvents(), Consumed.with(text, text).withName("interaction-events"))
                .process(() -> new OnceReader("calls-seen", v -> v.path("event").path("partyInteraction").path("id").asText(null),
                        (type, v) -> Readings.call(v)), Named.as("call-reader"), "calls-seen");

        var routes = tickets.merge(answers, Named.as("merge-answers")).merge(calls, Named.as("merge-calls"))
                .split(Named.as("route-"))
                .branch((k, v) -> v.contribution() != null, Branched.as("contributions"))
                .branch((k, v) -> v.complaint() != null, Branched.as("complaints"))
                .defaultBranch(Branched.as("letters"));
        KStream<String, Contribution> counted = routes.get("route-contributions").mapValues(Routed::contribution, Named.as("contribution"));
        KStream<String, Contribution> repeats = routes.get("route-complaints").mapValues(Routed::complaint, Named.as("complaint"))
                .repartition(Repartitioned.with(text, complaints).withName("complaints-by-person"))
                .process(RepeatComplaints::new, Named.as("repeat-complaints"), RepeatComplaints.STORE);
        routes.get("route-letters").process(LetterWriter::new, Named.as("letter-writer"))
                .to(Topics.DEAD_LETTERS, Produced.with(text, text).withName("dead-letters"));

        KStream<String, Contribution> all = counted.merge(repeats, Named.as("merge-repeats"));
        all.repartition(Repartitioned.with(text, contributions).withName("contributions"))
                .process(() -> new KpiAggregator(zone, beat), Named.as("kpi-aggregator"), KpiAggregator.STORE, KpiAggregator.CHANGED)
                .to(topics.kpiSnapshots(), Produced.with(text, text).withName("kpi-snapshots"));
        all.flatMap((key, c) -> watches(c), Named.as("alert-keys"))
                .repartition(Repartitioned.with(text, contributions).withName("alert-watches"))
                .process(() -> new AlertWatch(rules, beat), Named.as("alert-watch"), AlertWatch.WINDOWS, AlertWatch.STATE)
                .to(topics.serviceAlerts(), Produced.with(text, text).withName("service-alerts"));
        return builder.build();
    }

    /** The alert watches a contribution feeds: one per rule on its KPI, keyed by the rule and its dimensions' values. */
    private List<KeyValue<String, Contribution>> watches(Contribution c) {
        List<KeyValue<String, Contribution>> out = new ArrayList<>();
        for (AlertRule rule : rules.rules()) {
            if (rule.kpi().equals(c.kpi())) {
                out.add(KeyValue.pair(rule.id() + "|" + String.join("~", c.dimensions().project(rule.per()).values()), c));
            }
        }
        return out;
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }

    /** Writes a dead letter as a CloudEvent record (headers and body). */
    static final class LetterWriter extends ContextualProcessor<String, Routed, String, String> {
        @Override
        public void process(Record<String, Routed> record) {
            var letter = record.value().letter();
            context().forward(new Record<>(record.key(), letter.data(), record.timestamp(), CloudEventRecords.headers(letter)));
        }
    }
}
