package io.unichannel.survey.messaging;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Failures;
import io.unichannel.survey.AnswerSheet;
import io.unichannel.survey.service.ResponseService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of survey replies the gateway captured (an SMS digit, IVR key presses) that records
 * each once. A reply that answers nothing the channel asked goes to dead-letters with the reason;
 * a late one (the invitation answered or expired) is counted and dropped; an outage is waited out.
 */
@ApplicationScoped
public class SurveyReplyConsumer {

    /** The Kafka hop's delay per topic, as every consumer reports it. */
    @jakarta.inject.Inject
    io.unichannel.common.events.ConsumerMetrics consumerMetrics;

    public static final String CHANNEL = "survey-replies";
    private static final Set<String> CHANNELS = Set.of("sms", "hotline");

    private final ResponseService responses;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public SurveyReplyConsumer(ResponseService responses, DeadLetters deadLetters, ObjectMapper json) {
        this.responses = responses;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    private record Reply(String replyId, UUID invitationId, String channel, Map<String, String> keys) {
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        consumerMetrics.consumed(record);
        Reply reply;
        try {
            CloudEvent event = CloudEventRecords.fromOwner(record);
            if (!EventTypes.SURVEY_REPLY_CAPTURED.equals(event.type())) {
                throw new IllegalArgumentException("unexpected event type " + event.type());
            }
            reply = read(json.readTree(event.data()));
        } catch (Exception e) {
            return deadLetters.send(record, "not a readable survey reply: " + e.getMessage());
        }
        return responses.answerByKeys(reply.replyId(), reply.invitationId(), reply.channel(), reply.keys())
                .invoke(outcome -> Log.infof("Survey reply %s for invitation %s: %s", reply.replyId(), reply.invitationId(), outcome))
                .onFailure(AnswerSheet.Invalid.class).recoverWithUni(e -> deadLetters.send(record, "answers nothing asked: "
                        + e.getMessage()).replaceWith(ResponseService.Outcome.UNKNOWN))
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e)
                        .replaceWith(ResponseService.Outcome.UNKNOWN))
                .onFailure().invoke(e -> Log.warnf("Survey reply %s not recorded yet (%s); retrying", reply.replyId(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }

    private static Reply read(JsonNode body) {
        String replyId = body.path("replyId").asText("");
        String channel = body.path("channel").asText("");
        if (replyId.isEmpty() || replyId.length() > 128 || !CHANNELS.contains(channel) || !body.path("answers").isArray()
                || body.path("answers").isEmpty() || body.path("answers").size() > 20) {
            throw new IllegalArgumentException("replyId, channel (sms, hotline) and 1-20 answers are required");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (JsonNode answer : body.path("answers")) {
            keys.put(answer.path("questionId").asText(""), answer.path("key").asText(""));
        }
        return new Reply(replyId, UUID.fromString(body.path("invitationId").asText("")), channel, keys);
    }
}
