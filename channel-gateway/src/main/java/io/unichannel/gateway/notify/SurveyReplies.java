package io.unichannel.gateway.notify;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.gateway.messaging.EventPublisher;
import io.unichannel.gateway.repository.ProgressRepository;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Survey answers given with keys: a digit replied to a survey SMS, the keys pressed in an IVR
 * survey call. Each is checked against what the gateway asked (survey_prompt), published as
 * SurveyReplyCaptured on survey-replies for survey-service (its replyId makes a repeat harmless),
 * and only then marked answered, so a broker outage loses nothing: the caller is told to try again.
 */
@ApplicationScoped
public class SurveyReplies {

    /** The reply does not answer what was asked; the message says what would. */
    public static class Unanswerable extends RuntimeException {
        public Unanswerable(String message) {
            super(message);
        }
    }

    private final PgPool pool;
    private final ProgressRepository progress;
    private final EventPublisher publisher;
    private final ObjectMapper json;

    public SurveyReplies(PgPool pool, ProgressRepository progress, EventPublisher publisher, ObjectMapper json) {
        this.pool = pool;
        this.progress = progress;
        this.publisher = publisher;
        this.json = json;
    }

    /**
     * A digit texted by a customer: the answer to their latest open survey SMS, if they have one.
     *
     * @return empty when no survey SMS awaits an answer from them
     * @throws Unanswerable (in the Uni) when the digit is outside the question's range
     */
    public Uni<Optional<String>> digit(String customerId, int digit, String messageId) {
        return progress.canonical(customerId).chain(progress::idsOf).chain(ids -> pool.preparedQuery("""
                SELECT invitation_id, questions FROM survey_prompt WHERE customer_id = ANY($1) AND channel = 'sms'
                  AND answered_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY sent_at DESC LIMIT 1""")
                .execute(Tuple.of(ids.toArray(String[]::new))))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.<String>empty());
                    }
                    Row prompt = rows.iterator().next();
                    JsonNode question = questions(prompt).get(0);
                    check(question, digit);
                    String invitationId = prompt.getString("invitation_id");
                    return publish("sms:" + messageId, invitationId, "sms",
                            List.of(Map.of("questionId", question.path("questionId").asText(), "key", String.valueOf(digit))))
                            .chain(() -> answered(invitationId, "sms")).replaceWith(Optional.of(invitationId));
                });
    }

    /**
     * The keys pressed in an IVR survey call, question by question.
     *
     * @return false when no open survey call has that id
     */
    public Uni<Boolean> keys(String invitationId, Map<String, Integer> keys) {
        return pool.preparedQuery("""
                SELECT invitation_id, questions FROM survey_prompt WHERE invitation_id = $1 AND channel = 'hotline'
                  AND answered_at IS NULL AND (expires_at IS NULL OR expires_at > now())""")
                .execute(Tuple.of(invitationId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(false);
                    }
                    List<Map<String, String>> answers = new ArrayList<>();
                    for (JsonNode question : questions(rows.iterator().next())) {
                        String id = question.path("questionId").asText();
                        Integer key = keys.get(id);
                        if (key == null) {
                            throw new Unanswerable("no key for question " + id);
                        }
                        check(question, key);
                        answers.add(Map.of("questionId", id, "key", String.valueOf(key)));
                    }
                    if (answers.size() != keys.size()) {
                        throw new Unanswerable("keys for questions the call did not ask");
                    }
                    return publish("ivr:" + invitationId, invitationId, "hotline", answers)
                            .chain(() -> answered(invitationId, "hotline")).replaceWith(true);
                });
    }

    private static void check(JsonNode question, int key) {
        int low = question.path("low").asInt();
        int high = question.path("high").asInt();
        if (key < low || key > high) {
            throw new Unanswerable("answer " + low + "-" + high);
        }
    }

    private List<JsonNode> questions(Row prompt) {
        try {
            List<JsonNode> list = new ArrayList<>();
            json.readTree(prompt.getString("questions")).forEach(list::add);
            return list;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uni<Void> publish(String replyId, String invitationId, String channel, List<? extends Map<String, String>> answers) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("replyId", replyId);
        data.put("invitationId", invitationId);
        data.put("channel", channel);
        data.put("answers", answers);
        data.put("capturedAt", Timestamps.rfc3339(OffsetDateTime.now(ZoneOffset.UTC)));
        String payload;
        try {
            payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return publisher.publish(Topics.SURVEY_REPLIES, invitationId,
                new CloudEvent(replyId, Topics.CHANNEL_GATEWAY, EventTypes.SURVEY_REPLY_CAPTURED, invitationId,
                        OffsetDateTime.now(ZoneOffset.UTC), payload));
    }

    private Uni<Void> answered(String invitationId, String channel) {
        return pool.preparedQuery("UPDATE survey_prompt SET answered_at = now() WHERE invitation_id = $1 AND channel = $2")
                .execute(Tuple.of(invitationId, channel)).replaceWithVoid();
    }
}
