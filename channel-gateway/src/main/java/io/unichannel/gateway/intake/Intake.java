package io.unichannel.gateway.intake;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.gateway.limits.AbuseLimits;
import io.unichannel.gateway.messaging.EventPublisher;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.rest.SubmitRequest;
import io.unichannel.gateway.tracking.Progress;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One way into the platform for every channel adapter: the app and web JSON API, the WeChat
 * official account, SMS keywords. Counts the submission against the abuse limits, records it in
 * the progress view, then queues it on channel-requests; a retry with the same key gives the same
 * request id and never a second ticket.
 */
@ApplicationScoped
public class Intake {

    /** Who submits, as the channel established it (token claims, or a verified channel identity). */
    public record Submitter(String customerId, String subject, String channel, String region, String valueTier) {
    }

    /** A queued request. */
    public record Submitted(UUID requestId, OffsetDateTime submittedAt) {
    }

    private final EventPublisher publisher;
    private final ProgressRepository repository;
    private final AbuseLimits limits;
    private final ObjectMapper json;

    public Intake(EventPublisher publisher, ProgressRepository repository, AbuseLimits limits, ObjectMapper json) {
        this.publisher = publisher;
        this.repository = repository;
        this.limits = limits;
        this.json = json;
    }

    /** The request id a submitter's key always maps to, on any replica. */
    public static UUID requestId(String subject, String key) {
        return key == null ? UUID.randomUUID() : UUID.nameUUIDFromBytes((subject + "|" + key).getBytes(StandardCharsets.UTF_8));
    }

    public Uni<Submitted> submit(Submitter who, SubmitRequest body, String key) {
        claimsOnly(body);
        UUID requestId = requestId(who.subject(), key);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("requestId", requestId.toString());
        if (key != null) {
            payload.put("idempotencyKey", key);
        }
        payload.put("channel", who.channel());
        payload.put("customerId", who.customerId());
        payload.put("subject", who.subject());
        payload.put("requestType", body.requestType());
        payload.put("description", body.description());
        putIfPresent(payload, "category", body.category());
        putIfPresent(payload, "severity", body.severity());
        putIfPresent(payload, "urgency", body.urgency());
        putIfPresent(payload, "region", who.region());
        putIfPresent(payload, "customerTier", who.valueTier());
        if (body.attributes() != null && !body.attributes().isEmpty()) {
            payload.put("attributes", body.attributes());
        }
        payload.put("submittedAt", Timestamps.rfc3339(now));
        CloudEvent event = new CloudEvent(UUID.randomUUID().toString(), Topics.CHANNEL_GATEWAY,
                EventTypes.CHANNEL_REQUEST_SUBMITTED, requestId.toString(), now, write(payload));
        // The request is in the progress view before it is queued: any replica knows it once the
        // client has its answer, and a failure reported for it always finds it.
        Progress submitted = new Progress(requestId, null, 0, Progress.SUBMITTED, "submitted", null, who.channel(), now, null);
        Uni<Void> queued = repository.record(who.customerId(), submitted)
                .chain(() -> publisher.publish(requestId.toString(), event)
                        .onFailure().call(e -> repository.forget(requestId).onFailure().recoverWithNull()))
                .onFailure().transform(e -> notQueued())
                .replaceWithVoid();
        return limits.admitSubmission(who.customerId(), who.channel())
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> notQueued())
                .chain(() -> queued)
                .replaceWith(new Submitted(requestId, now));
    }

    /** Categories the platform assigns itself; each selects its own service-level policy. */
    static final Set<String> PLATFORM_CATEGORIES = Set.of("surveyFollowUp", "outage");

    /**
     * What a customer sends is a claim: it never picks the grade of their request. A severity is
     * taken only from an agent at the store counter (who vouched for it, see {@link CounterAgents});
     * a customer says how urgent it is with {@code urgency}. Categories the platform assigns itself
     * are not theirs to choose.
     */
    private static void claimsOnly(SubmitRequest body) {
        boolean agentAssessed = body.attributes() != null && body.attributes().containsKey(CounterAgents.AGENT);
        if (body.severity() != null && !agentAssessed) {
            throw refused("severity", "is graded by the platform (from the request's type, category and diagnosis, or by an"
                    + " agent); say how urgent it is for you with urgency: high or normal");
        }
        if (body.category() != null && PLATFORM_CATEGORIES.contains(body.category())) {
            throw refused("category", "'" + body.category() + "' is assigned by the platform");
        }
    }

    private static ProblemException refused(String field, String message) {
        return new ProblemException(new Problem(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, field + " " + message + ".")
                .with("errors", List.of(Map.of("field", field, "message", message))));
    }

    private static ProblemException notQueued() {
        return new ProblemException(new Problem(ProblemTypes.SERVICE_UNAVAILABLE, "Request not accepted", 503,
                "The request could not be queued; nothing was submitted. Retry with the same Idempotency-Key.")
                .with("retryAfterSeconds", 5));
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(Map<String, Object> map, String name, String value) {
        if (value != null && !value.isBlank()) {
            map.put(name, value);
        }
    }
}
