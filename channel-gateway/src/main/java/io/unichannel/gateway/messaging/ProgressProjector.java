package io.unichannel.gateway.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.Failures;
import io.unichannel.common.events.Topics;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.tracking.ProgressRecords;
import io.unichannel.gateway.tracking.ProgressUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of channel-requests, ticket-events, identity-events and dead-letters that keeps the
 * progress view in PostgreSQL. One consumer group across replicas: each record is applied once
 * (and a replay changes nothing). A record that breaks the view's rules goes to dead-letters and
 * the rest go on; a database outage is waited out, never skipped.
 */
@ApplicationScoped
public class ProgressProjector {

    public static final String CHANNEL = "progress";

    private final ProgressRecords parser;
    private final ProgressRepository repository;
    private final DeadLetters deadLetters;

    public ProgressProjector(ProgressRecords parser, ProgressRepository repository, DeadLetters deadLetters) {
        this.parser = parser;
        this.repository = repository;
        this.deadLetters = deadLetters;
    }

    private record Parsed(ConsumerRecord<String, String> record, ProgressUpdate update) {
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<Parsed> parsed = new ArrayList<>();
        List<Uni<Void>> letters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                parser.parse(record).ifPresent(update -> parsed.add(new Parsed(record, update)));
            } catch (RuntimeException e) {
                letters.add(setAside(record, e));
            }
        }
        List<ProgressUpdate> updates = parsed.stream().map(Parsed::update).toList();
        Uni<Void> lettersSent = letters.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(letters).andFailFast().replaceWithVoid()
                        .onFailure().invoke(e -> Log.warnf("Dead-lettering failed, retrying: %s", e))
                        .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
        return lettersSent.chain(() -> repository.apply(updates)
                .onFailure(Failures::isPoison).recoverWithUni(e -> oneByOne(parsed))
                .onFailure().invoke(e -> Log.warnf("Updating the progress view failed, retrying: %s", e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely());
    }

    private Uni<Void> oneByOne(List<Parsed> parsed) {
        return Multi.createFrom().iterable(parsed)
                .onItem().transformToUniAndConcatenate(p -> repository.apply(List.of(p.update()))
                        .onFailure(Failures::isPoison).recoverWithUni(e -> setAside(p.record(), e)))
                .collect().last().replaceWithVoid();
    }

    /** Dead letters themselves are never dead-lettered again: one that cannot be read is only counted. */
    private Uni<Void> setAside(ConsumerRecord<String, String> record, Throwable reason) {
        if (Topics.DEAD_LETTERS.equals(record.topic())) {
            Log.warnf("Ignoring an unreadable dead letter at %d@%d: %s", record.partition(), record.offset(),
                    reason.getMessage());
            return Uni.createFrom().voidItem();
        }
        return deadLetters.send(record, reason instanceof Failures.PoisonException ? reason.getMessage()
                : "refused by the progress view: " + reason.getMessage());
    }
}
