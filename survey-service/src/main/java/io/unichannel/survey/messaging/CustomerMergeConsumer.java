package io.unichannel.survey.messaging;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.validation.Text;
import io.unichannel.survey.service.InvitationService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows customer merges from identity-events, so the contact rules count one person's surveys
 * on every channel and under every record they had. A malformed merge goes to dead-letters; a
 * database outage is waited out.
 */
@ApplicationScoped
public class CustomerMergeConsumer {

    public static final String CHANNEL = "identity-events";

    private final InvitationService invitations;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public CustomerMergeConsumer(InvitationService invitations, DeadLetters deadLetters, ObjectMapper json) {
        this.invitations = invitations;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        CloudEvent event;
        String mergedId;
        String survivorId;
        try {
            event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.CUSTOMERS_MERGED.equals(event.type())) {
                return Uni.createFrom().voidItem();
            }
            JsonNode data = json.readTree(event.data());
            mergedId = data.path("mergedId").asText(null);
            survivorId = data.path("survivorId").asText(null);
            if (!Text.isValidRequired(mergedId, 64, false) || !Text.isValidRequired(survivorId, 64, false)
                    || mergedId.equals(survivorId)) {
                throw new IllegalArgumentException("CustomersMerged needs two different valid customer ids");
            }
        } catch (Exception e) {
            return deadLetters.send(record, e.getMessage());
        }
        String from = mergedId;
        String to = survivorId;
        return invitations.followMerge(event.id(), from, to)
                .onFailure().invoke(e -> Log.warnf("Following merge %s failed, retrying: %s", event.id(), e))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }
}
