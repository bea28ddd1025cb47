package io.unichannel.common.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Object mother for identity-events records, as identity-service publishes them. */
public final class IdentityEventRecords {

    private IdentityEventRecords() {
    }

    /** B merged into A; keyed by the merged id, as identity-service keys it. */
    public static ProducerRecord<String, String> customersMerged(String survivorId, String mergedId) {
        String payload = """
                {"survivorId":"%s","mergedId":"%s","mergedBy":"test-agent","reason":"Same person",
                 "movedIdentities":2,"mergedAt":"%s"}""".formatted(survivorId, mergedId,
                Timestamps.rfc3339(OffsetDateTime.now(ZoneOffset.UTC)));
        EventSchemaAssert.assertValidPayload(EventTypes.CUSTOMERS_MERGED, payload);
        CloudEvent event = CloudEvent.of("/unichannel/identity-service", EventTypes.CUSTOMERS_MERGED, mergedId, payload);
        return CloudEventRecords.toRecord(Topics.IDENTITY_EVENTS, mergedId, event);
    }

    /** A CustomersMerged record with any payload, e.g. a hostile one. */
    public static ProducerRecord<String, String> customersMergedRaw(String key, String payload) {
        CloudEvent event = CloudEvent.of("/unichannel/identity-service", EventTypes.CUSTOMERS_MERGED, key, payload);
        return CloudEventRecords.toRecord(Topics.IDENTITY_EVENTS, key, event);
    }
}
