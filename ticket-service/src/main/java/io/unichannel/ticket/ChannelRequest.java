package io.unichannel.ticket;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * A customer's request as the channel gateway submitted it (ChannelRequestSubmitted).
 *
 * @param severity an agent's assessment (the store counter, a partner system, the platform itself);
 *                 never the customer's say-so
 * @param urgency  how urgent the customer says it is (high, normal): a claim, kept on the ticket for
 *                 the agent, that never picks the grade or the service level
 */
public record ChannelRequest(UUID requestId, String idempotencyKey, String channel, String customerId, String subject,
        String requestType, String description, String category, String severity, String urgency, String region,
        String customerTier,
        Map<String, Object> attributes, OffsetDateTime submittedAt) {
}
