package io.unichannel.common.events;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.validation.Text;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The merge a CustomersMerged event on identity-events carries (docs/events/CustomersMerged.schema.json),
 * read the same way by every service that follows merges: customer {@code mergedId} is
 * {@code survivorId} from now on.
 */
public record CustomerMerge(String eventId, String mergedId, String survivorId) {

    /**
     * The merge in an identity-events record; empty for any other identity event.
     *
     * @throws IllegalArgumentException when the record is not a readable CloudEvent of its owner or
     *         the merge does not name two different valid customer ids (dead-letter it)
     */
    public static Optional<CustomerMerge> from(ConsumerRecord<String, String> record, ObjectMapper json) {
        CloudEvent event;
        JsonNode data;
        try {
            event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.CUSTOMERS_MERGED.equals(event.type())) {
                return Optional.empty();
            }
            data = json.readTree(event.data());
        } catch (InvalidCloudEventException | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String mergedId = data == null ? null : data.path("mergedId").asText(null);
        String survivorId = data == null ? null : data.path("survivorId").asText(null);
        if (!Text.isValidRequired(mergedId, 64, false) || !Text.isValidRequired(survivorId, 64, false)
                || mergedId.equals(survivorId)) {
            throw new IllegalArgumentException("CustomersMerged needs two different valid customer ids");
        }
        return Optional.of(new CustomerMerge(event.id(), mergedId, survivorId));
    }

    /**
     * How every consumer of identity-events follows merges: other identity events are skipped; a
     * malformed merge, or one the action refuses as poison, goes to dead-letters; any other failure
     * (a database outage) is retried with growing pauses until it passes.
     */
    public static Uni<Void> follow(ConsumerRecord<String, String> record, ObjectMapper json, DeadLetters deadLetters,
            Function<CustomerMerge, Uni<?>> action) {
        Optional<CustomerMerge> read;
        try {
            read = from(record, json);
        } catch (IllegalArgumentException e) {
            return deadLetters.send(record, e.getMessage());
        }
        if (read.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CustomerMerge merge = read.get();
        return Uni.createFrom().deferred(() -> action.apply(merge)).replaceWithVoid()
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e))
                .onFailure().invoke(e -> Log.warnf("Following merge %s failed, retrying: %s", merge.eventId(), e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
