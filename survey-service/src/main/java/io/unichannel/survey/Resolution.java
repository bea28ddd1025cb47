package io.unichannel.survey;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A resolved ticket as survey-service needs it (from TroubleTicketResolvedEvent): whose, which
 * service type, on which channel, in which region, by which agent; and, for a follow-up ticket
 * opened by a survey answer, the invitation it follows up.
 */
public record Resolution(String ticketId, String serviceType, String channel, String customerId, String region,
        String agentId, OffsetDateTime resolvedAt, UUID followUpOf) {
}
