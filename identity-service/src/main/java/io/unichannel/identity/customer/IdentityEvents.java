package io.unichannel.identity.customer;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.common.privacy.Masking;
import io.unichannel.outbox.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The identity-events (and one-time-code notifications) identity-service writes to its outbox.
 * Phone numbers appear only masked, ID documents only as a hash prefix. Records are keyed by the
 * customer they are about; a merge is keyed by the merged (retired) id, so on the compacted topic
 * the merge stays that id's last word.
 */
@ApplicationScoped
public class IdentityEvents {

    private static final String AGGREGATE = "Customer";
    private final ObjectMapper json;

    public IdentityEvents(ObjectMapper json) {
        this.json = json;
    }

    public OutboxEvent registered(Customer customer) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("customerId", customer.id);
        data.put("registeredAt", Timestamps.rfc3339(customer.createdAt));
        data.put("msisdnMasked", Masking.msisdn(customer.msisdn));
        data.put("valueTier", customer.valueTier);
        putIfPresent(data, "region", customer.region);
        putIfPresent(data, "preferredChannel", customer.preferredChannel);
        putIfPresent(data, "registeredVia", customer.registeredVia);
        return event(EventTypes.CUSTOMER_REGISTERED, customer.id, customer.createdAt, data);
    }

    public OutboxEvent bound(ChannelIdentity identity) {
        return bound(identity, null);
    }

    /** A binding, with why it was allowed (the proof, or a supervisor's reason). */
    public OutboxEvent bound(ChannelIdentity identity, String reason) {
        Map<String, Object> data = binding(identity, identity.boundAt, identity.boundBy);
        putIfPresent(data, "reason", reason);
        return event(EventTypes.CHANNEL_IDENTITY_BOUND, identity.customerId, identity.boundAt, data);
    }

    public OutboxEvent unbound(ChannelIdentity identity, OffsetDateTime at, String actor) {
        return event(EventTypes.CHANNEL_IDENTITY_UNBOUND, identity.customerId, at, binding(identity, at, actor));
    }

    public OutboxEvent merged(CustomerMerge merge) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("survivorId", merge.survivorId);
        data.put("mergedId", merge.mergedId);
        data.put("mergedBy", merge.mergedBy);
        data.put("reason", merge.reason);
        data.put("movedIdentities", merge.movedIdentities);
        data.put("mergedAt", Timestamps.rfc3339(merge.mergedAt));
        return event(EventTypes.CUSTOMERS_MERGED, merge.mergedId, merge.mergedAt, data);
    }

    /**
     * A one-time code for the gateway to deliver by SMS; the code and the number travel sealed,
     * never in clear.
     */
    public OutboxEvent oneTimeCode(String customerId, String channel, String sealedCode, String sealedMsisdn,
            String msisdnMasked, OffsetDateTime at, OffsetDateTime expiresAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        UUID id = UUID.randomUUID();
        data.put("notificationId", id.toString());
        data.put("customerId", customerId);
        data.put("channel", channel);
        data.put("template", "one-time-code");
        data.put("parameters", Map.of("codeSealed", sealedCode, "toSealed", sealedMsisdn, "msisdnMasked", msisdnMasked));
        data.put("requestedAt", Timestamps.rfc3339(at));
        data.put("expiresAt", Timestamps.rfc3339(expiresAt));
        return OutboxEvent.of(id, "Notification", customerId, EventTypes.NOTIFICATION_REQUESTED, at, write(data))
                .to(Topics.NOTIFICATIONS);
    }

    private static Map<String, Object> binding(ChannelIdentity identity, OffsetDateTime at, String actor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("customerId", identity.customerId);
        data.put("identityType", identity.identityType);
        data.put("externalIdMasked", identity.masked);
        data.put("at", Timestamps.rfc3339(at));
        putIfPresent(data, "actor", actor);
        return data;
    }

    private OutboxEvent event(String type, String key, OffsetDateTime at, Map<String, Object> data) {
        return OutboxEvent.of(UUID.randomUUID(), AGGREGATE, key, type, at, write(data));
    }

    private String write(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("identity event could not be written", e);
        }
    }

    private static void putIfPresent(Map<String, Object> data, String name, Object value) {
        if (value != null) {
            data.put(name, value);
        }
    }
}
