package io.unichannel.survey.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.survey.AnswerSheet;
import io.unichannel.survey.Invitation;
import io.unichannel.survey.Question;
import io.unichannel.survey.Questionnaire;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.unichannel.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records answers: from the survey page, or key presses and digits the gateway captured. One
 * answer per invitation; the answer, SurveyResponseReceived and, for a detractor's or a "not
 * solved" answer, SurveyFollowUpRequested (a follow-up ticket to act on within 48 hours) are
 * written in one transaction. A verification re-survey's answer records "fixed / not fixed" on
 * the original ticket's survey; "not fixed" asks for another follow-up.
 */
@ApplicationScoped
public class ResponseService {

    /** How long the follow-up of a low answer may wait before someone acts on it. */
    public static final Duration FOLLOW_UP_WITHIN = Duration.ofHours(48);

    /** Where an answer stands: recorded (with whether it asked for a follow-up), or why it was not. */
    public enum Outcome {
        RECORDED, FOLLOW_UP, ALREADY_ANSWERED, EXPIRED, UNKNOWN
    }

    private final PgPool pool;
    private final SurveyCatalog catalog;
    private final SurveyEvents events;
    private final Outbox outbox;
    private final MeterRegistry metrics;

    public ResponseService(PgPool pool, SurveyCatalog catalog, SurveyEvents events, Outbox outbox, MeterRegistry metrics) {
        this.pool = pool;
        this.catalog = catalog;
        this.events = events;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    /** The invitation behind a survey link, with its questionnaire. */
    public Uni<Optional<Invitation>> byToken(String token) {
        return pool.preparedQuery("SELECT " + Invitation.COLUMNS + " FROM survey_invitation WHERE token = $1")
                .execute(Tuple.of(token)).map(rows -> rows.iterator().hasNext() ? Optional.of(Invitation.of(rows.iterator().next()))
                        : Optional.empty());
    }

    public Questionnaire questionnaireOf(Invitation i) {
        return catalog.definitions().byId(i.questionnaireId()).orElseThrow(
                () -> new AnswerSheet.Invalid("this survey's questionnaire is no longer offered"));
    }

    /** Answers given on the survey page. */
    public Uni<Outcome> answerOnPage(String token, JsonNode answers) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + Invitation.COLUMNS + " FROM survey_invitation WHERE token = $1 FOR UPDATE")
                .execute(Tuple.of(token)).chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Outcome.UNKNOWN);
                    }
                    Invitation i = Invitation.of(rows.iterator().next());
                    return openOrWhyNot(i).map(Uni.createFrom()::item).orElseGet(() -> {
                        AnswerSheet sheet = AnswerSheet.fromPage(questionnaireOf(i), answers);
                        return record(tx, i, sheet, "page");
                    });
                }));
    }

    /**
     * Keys or a digit captured on a channel (survey-replies); a reply seen before changes nothing.
     *
     * @throws AnswerSheet.Invalid when the keys do not answer what that channel asked
     */
    public Uni<Outcome> answerByKeys(String replyId, UUID invitationId, String channel, Map<String, String> keys) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO processed_message (message_id, source_topic) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING message_id").execute(Tuple.of(replyId, Topics.SURVEY_REPLIES))
                .chain(seen -> seen.rowCount() == 0 ? Uni.createFrom().item(Outcome.ALREADY_ANSWERED)
                        : tx.preparedQuery("SELECT " + Invitation.COLUMNS + " FROM survey_invitation WHERE id = $1 FOR UPDATE")
                                .execute(Tuple.of(invitationId)).chain(rows -> {
                                    if (!rows.iterator().hasNext()) {
                                        return Uni.createFrom().item(Outcome.UNKNOWN);
                                    }
                                    Invitation i = Invitation.of(rows.iterator().next());
                                    return openOrWhyNot(i).map(Uni.createFrom()::item).orElseGet(() -> {
                                        Questionnaire q = questionnaireOf(i);
                                        List<Question> asked = q.askedOn(channel);
                                        return record(tx, i, AnswerSheet.fromKeys(q, asked, keys), channel);
                                    });
                                })));
    }

    private static Optional<Outcome> openOrWhyNot(Invitation i) {
        return switch (i.status()) {
            case "sent" -> i.expiresAt() != null && i.expiresAt().toInstant().isBefore(Instant.now())
                    ? Optional.of(Outcome.EXPIRED) : Optional.empty();
            case "answered" -> Optional.of(Outcome.ALREADY_ANSWERED);
            case "expired" -> Optional.of(Outcome.EXPIRED);
            default -> Optional.of(Outcome.UNKNOWN);
        };
    }

    private Uni<Outcome> record(SqlConnection tx, Invitation i, AnswerSheet sheet, String answeredOn) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String reason = sheet.followUpReason();
        Map<String, Double> d = sheet.dimensions();
        return tx.preparedQuery("""
                INSERT INTO survey_response (invitation_id, ticket_id, channel, answered_on, service_type, region, agent_id,
                    questionnaire_id, questionnaire_version, csat, nps, fcr, solved, efficiency, quality, experience, answers,
                    comment, follow_up_reason, answered_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)""")
                .execute(Tuple.from(new Object[] {i.id(), i.ticketId(), i.channel(), answeredOn, i.serviceType(), i.region(),
                        i.agentId(), i.questionnaireId(), i.questionnaireVersion(), shortOf(sheet.csat()), shortOf(sheet.nps()),
                        sheet.fcr(), sheet.solved(), d.get("efficiency"), d.get("quality"), d.get("experience"),
                        events.write(sheet.answers()), sheet.comment(), reason, now}))
                .chain(() -> tx.preparedQuery("UPDATE survey_invitation SET status = 'answered' WHERE id = $1").execute(Tuple.of(i.id())))
                .chain(() -> outbox.add(tx, "SurveyInvitation", i.id().toString(), EventTypes.SURVEY_RESPONSE_RECEIVED, now,
                        events.responseReceived(i, sheet, reason, now), null))
                .chain(() -> i.verification() ? verified(tx, i, sheet.fixed() != null && sheet.fixed(), now)
                        : Uni.createFrom().voidItem())
                .chain(() -> reason == null ? Uni.createFrom().voidItem()
                        : outbox.add(tx, "SurveyInvitation", i.id().toString(), EventTypes.SURVEY_FOLLOW_UP_REQUESTED, now,
                                events.followUpRequested(i, reason, sheet.comment(), now.plus(FOLLOW_UP_WITHIN), now), null))
                .invoke(() -> metrics.counter("survey.responses", "channel", i.channel(), "answeredOn", answeredOn,
                        "followUp", String.valueOf(reason != null)).increment())
                .replaceWith(reason == null ? Outcome.RECORDED : Outcome.FOLLOW_UP);
    }

    private Uni<Void> verified(SqlConnection tx, Invitation verification, boolean fixed, OffsetDateTime now) {
        return tx.preparedQuery("UPDATE survey_response SET fixed = $2, verified_at = $3 WHERE invitation_id = $1 RETURNING ticket_id")
                .execute(Tuple.of(verification.originalInvitation(), fixed, now))
                .chain(rows -> outbox.add(tx, "SurveyInvitation", verification.originalInvitation().toString(),
                        EventTypes.SURVEY_VERIFICATION_RECORDED, now, events.verificationRecorded(verification,
                                rows.iterator().hasNext() ? rows.iterator().next().getString("ticket_id") : verification.ticketId(),
                                fixed, now), null));
    }

    private static Short shortOf(Integer value) {
        return value == null ? null : value.shortValue();
    }
}
