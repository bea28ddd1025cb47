package io.unichannel.common.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Object mother for ChannelRequestSubmitted records, as the channel gateway publishes them. */
public final class ChannelRequests {

    private ChannelRequests() {
    }

    public static ProducerRecord<String, String> submitted(UUID requestId, String customerId, String requestType) {
        return submitted(requestId, customerId, requestType, "gz-tianhe", "major");
    }

    /** A request of a customer of this region, with this severity. */
    public static ProducerRecord<String, String> submitted(UUID requestId, String customerId, String requestType,
            String region, String severity) {
        return submitted(requestId, customerId, requestType, region, severity, "app");
    }

    /** A request of a customer of this region, with this severity, made on this channel. */
    public static ProducerRecord<String, String> submitted(UUID requestId, String customerId, String requestType,
            String region, String severity, String channel) {
        String payload = """
                {"requestId":"%s","channel":"%s","customerId":"%s","subject":"%s","requestType":"%s",
                 "description":"Home broadband drops every evening","category":"broadbandFault","severity":"%s",
                 "region":"%s","submittedAt":"%s"}""".formatted(requestId, channel, customerId, customerId, requestType, severity,
                region, OffsetDateTime.now(ZoneOffset.UTC));
        return record(requestId.toString(), payload);
    }

    /**
     * A customer's own request as the gateway publishes it: no grade (the platform sets it), only
     * how urgent the customer says it is.
     */
    public static ProducerRecord<String, String> fromCustomer(UUID requestId, String customerId, String requestType,
            String region, String urgency) {
        String payload = """
                {"requestId":"%s","channel":"app","customerId":"%s","subject":"%s","requestType":"%s",
                 "description":"My bill doubled this month","category":"billing","urgency":"%s",
                 "region":"%s","submittedAt":"%s"}""".formatted(requestId, customerId, customerId, requestType, urgency,
                region, OffsetDateTime.now(ZoneOffset.UTC));
        return record(requestId.toString(), payload);
    }

    /** A record with proper CloudEvents headers around any payload, e.g. a broken one. */
    public static ProducerRecord<String, String> record(String key, String payload) {
        CloudEvent event = CloudEvent.of("/unichannel/channel-gateway", EventTypes.CHANNEL_REQUEST_SUBMITTED, key,
                payload);
        return CloudEventRecords.toRecord(Topics.CHANNEL_REQUESTS, key, event);
    }
}
