package io.unichannel.survey.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CustomerMerge;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.survey.service.InvitationService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows customer merges from identity-events, so the contact rules count one person's surveys
 * on every channel and under every record they had. A malformed merge goes to dead-letters; a
 * database outage is waited out (CustomerMerge.follow).
 */
@ApplicationScoped
public class CustomerMergeConsumer {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;

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
        consumerMetrics.consumed(record);
        return CustomerMerge.follow(record, json, deadLetters,
                merge -> invitations.followMerge(merge.eventId(), merge.mergedId(), merge.survivorId()));
    }
}
