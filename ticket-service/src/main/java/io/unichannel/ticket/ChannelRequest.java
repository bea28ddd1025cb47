package io.unichannel.ticket;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** A customer's request as the channel gateway submitted it (ChannelRequestSubmitted). */
public record ChannelRequest(UUID requestId, String idempotencyKey, String channel, String customerId, String subject,
        String requestType, String description, String category, String severity, String region, String customerTier,
        Map<String, Object> attributes, OffsetDateTime submittedAt) {
}
