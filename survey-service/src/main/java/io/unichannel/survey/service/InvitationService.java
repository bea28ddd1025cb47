package io.unichannel.survey.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.survey.Invitation;
import io.unichannel.survey.Questionnaire;
import io.unichannel.survey.Resolution;
import io.unichannel.survey.SurveyDefinitions;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.unichannel.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Invitations, from a resolution to the customer's channel: on a resolved ticket one is scheduled
 * (after the configured delay) by the questionnaire of its service type, unless the contact rules
 * say the person has been surveyed enough (recorded as suppressed, with the reason); a follow-up
 * ticket's resolution schedules the verification re-survey instead, exempt from those rules. Due
 * invitations, the one reminder and expiries are claimed by any replica with SKIP LOCKED, so each
 * fires once; sending writes the notification and SurveyInvitationSent to the outbox together.
 */
@ApplicationScoped
public class InvitationService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PgPool pool;
    private final SurveyCatalog catalog;
    private final SurveyEvents events;
    private final Outbox outbox;
    private final MeterRegistry metrics;
    private final String notifications;
    /** When set, how long after a resolution its survey goes instead of the definitions' delay (a demo, a pilot). */
    private final java.util.Optional<java.time.Duration> delay;

    /** When the survey timer next has an invitation to send, remind or expire; what this replica schedules wakes it. */
    private final io.unichannel.common.timing.DueWork dueWork;

    public InvitationService(PgPool pool, SurveyCatalog catalog, SurveyEvents events, Outbox outbox, MeterRegistry metrics,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "survey.notifications-topic") String notifications,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "survey.timer.safety-look", defaultValue = "30s")
            java.time.Duration safetyLook,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "survey.invitation.delay")
            java.util.Optional<java.time.Duration> delay) {
        this.delay = delay;
        this.dueWork = new io.unichannel.common.timing.DueWork(safetyLook);
        this.notifications = notifications;
        this.pool = pool;
        this.catalog = catalog;
        this.events = events;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    /**
     * Schedules (or suppresses) the survey of a resolution; a redelivered event changes nothing.
     *
     * @return what was decided: scheduled, verification, suppressed:&lt;reason&gt;, duplicate
     */
    public Uni<String> onResolved(String eventId, Resolution r) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO processed_message (message_id, source_topic) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING message_id").execute(Tuple.of(eventId, Topics.TICKET_EVENTS))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item("duplicate")
                        : person(tx, r.customerId()).chain(person -> r.followUpOf() != null
                                ? scheduleVerification(tx, r, person) : scheduleSatisfaction(tx, r, person))))
                .invoke(outcome -> metrics.counter("survey.invitations", "outcome", outcome.replace(':', '-')).increment());
    }

    private Uni<String> person(SqlConnection tx, String customerId) {
        return tx.preparedQuery("SELECT survivor_id FROM customer_alias WHERE merged_id = $1").execute(Tuple.of(customerId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("survivor_id") : customerId);
    }

    private Uni<String> scheduleSatisfaction(SqlConnection tx, Resolution r, String person) {
        SurveyDefinitions d = catalog.definitions();
        Optional<Questionnaire> questionnaire = d.forServiceType(r.serviceType());
        if (questionnaire.isEmpty()) {
            return Uni.createFrom().item("suppressed:noQuestionnaire");
        }
        Instant now = Instant.now();
        Instant sendAt = now.plus(delay.orElseGet(() -> d.invitation().delayDuration()));
        dueWork.wake(sendAt);
        return tx.preparedQuery("INSERT INTO survey_person (person_id) VALUES ($1) ON CONFLICT DO NOTHING").execute(Tuple.of(person))
                // The person's row is the lock: their contact decisions happen one at a time on any replica.
                .chain(() -> tx.preparedQuery("SELECT person_id FROM survey_person WHERE person_id = $1 FOR UPDATE")
                        .execute(Tuple.of(person)))
                .chain(() -> tx.preparedQuery("""
                        SELECT max(send_at) AS last, count(*) FILTER (WHERE send_at > $2) AS recent FROM survey_invitation
                        WHERE person_id = $1 AND purpose = 'satisfaction' AND status <> 'suppressed'""")
                        .execute(Tuple.of(person, at(now.minus(d.contactRules().periodDuration())))))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime last = row.getOffsetDateTime("last");
                    Optional<String> suppressed = catalog.policy().suppression(r.ticketId(), r.serviceType(), now,
                            last == null ? null : last.toInstant(), row.getLong("recent"));
                    return insert(tx, r, person, questionnaire.get(), "satisfaction", null,
                            suppressed.isPresent() ? "suppressed" : "scheduled", suppressed.orElse(null), sendAt)
                            .map(inserted -> !inserted ? "duplicate"
                                    : suppressed.map(reason -> "suppressed:" + reason).orElse("scheduled"));
                });
    }

    private Uni<String> scheduleVerification(SqlConnection tx, Resolution r, String person) {
        SurveyDefinitions d = catalog.definitions();
        return tx.preparedQuery("SELECT id, original_invitation FROM survey_invitation WHERE id = $1").execute(Tuple.of(r.followUpOf()))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        Log.warnf("Follow-up ticket %s names invitation %s, which is not ours; no re-survey", r.ticketId(),
                                r.followUpOf());
                        return Uni.createFrom().item("suppressed:unknownFollowUp");
                    }
                    Row original = rows.iterator().next();
                    UUID root = original.getUUID("original_invitation") != null ? original.getUUID("original_invitation")
                            : original.getUUID("id");
                    return insert(tx, r, person, d.verification(), "verification", root, "scheduled", null,
                            Instant.now().plus(d.invitation().delayDuration()))
                            .chain(inserted -> !inserted ? Uni.createFrom().item("duplicate")
                                    : tx.preparedQuery("UPDATE survey_invitation SET follow_up_ticket = $2 WHERE id = $1")
                                            .execute(Tuple.of(r.followUpOf(), r.ticketId())).replaceWith("verification"));
                });
    }

    private Uni<Boolean> insert(SqlConnection tx, Resolution r, String person, Questionnaire q, String purpose, UUID original,
            String status, String reason, Instant sendAt) {
        // Every invitation written here, whatever its purpose, wakes this replica's timer.
        dueWork.wake(sendAt);
        return tx.preparedQuery("""
                INSERT INTO survey_invitation (id, token, ticket_id, customer_id, person_id, channel, service_type, region, agent_id,
                    questionnaire_id, questionnaire_version, purpose, original_invitation, status, suppressed_reason, resolved_at, send_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                ON CONFLICT (ticket_id, purpose) DO NOTHING RETURNING id""")
                .execute(Tuple.from(new Object[] {UUID.randomUUID(), token(), r.ticketId(), r.customerId(), person, r.channel(),
                        r.serviceType(), r.region(), r.agentId(), q.id(), q.version(), purpose, original, status, reason,
                        r.resolvedAt() == null ? at(Instant.now()) : r.resolvedAt(), at(sendAt)}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A survey link's secret: 128 random bits, URL-safe. */
    private static String token() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Sends the due invitations (at most {@code batch}): each becomes sent, with its expiry and
     * reminder times, and its notification and SurveyInvitationSent go to the outbox in the same
     * transaction. One due in quiet hours moves to their end.
     *
     * @return how many were claimed
     */
    /** When the survey timer next has work. */
    public io.unichannel.common.timing.DueWork due() {
        return dueWork;
    }

    /** When the earliest invitation is next due to be sent, reminded or expired; null when none is. */
    public Uni<Instant> nextDue() {
        return pool.preparedQuery("""
                SELECT min(t) FROM (
                  SELECT min(send_at) AS t FROM survey_invitation WHERE status = 'scheduled'
                  UNION ALL SELECT min(remind_at) FROM survey_invitation WHERE status = 'sent' AND NOT reminded
                  UNION ALL SELECT min(expires_at) FROM survey_invitation WHERE status = 'sent') due""")
                .execute().map(rows -> {
                    OffsetDateTime t = rows.iterator().next().getOffsetDateTime(0);
                    return t == null ? null : t.toInstant();
                });
    }

    public Uni<Integer> sendDue(int batch) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + Invitation.COLUMNS + """
                 FROM survey_invitation WHERE status = 'scheduled' AND send_at <= now()
                ORDER BY send_at LIMIT $1 FOR UPDATE SKIP LOCKED""").execute(Tuple.of(batch))
                .chain(rows -> {
                    List<Invitation> due = rows.stream().map(Invitation::of).toList();
                    return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(i -> send(tx, i))
                            .collect().asList().replaceWith(due.size());
                }));
    }

    private Uni<Void> send(SqlConnection tx, Invitation i) {
        Instant now = Instant.now();
        Instant allowed = catalog.policy().sendableAt(now);
        if (allowed.isAfter(now)) {
            dueWork.wake(allowed);
            return tx.preparedQuery("UPDATE survey_invitation SET send_at = $2 WHERE id = $1").execute(Tuple.of(i.id(), at(allowed)))
                    .replaceWithVoid();
        }
        SurveyDefinitions d = catalog.definitions();
        Questionnaire q = d.byId(i.questionnaireId()).orElse(null);
        if (q == null) {
            Log.warnf("Invitation %s names questionnaire %s, no longer defined; suppressed", i.id(), i.questionnaireId());
            return tx.preparedQuery("UPDATE survey_invitation SET status = 'suppressed', suppressed_reason = 'noQuestionnaire' "
                    + "WHERE id = $1").execute(Tuple.of(i.id())).replaceWithVoid();
        }
        OffsetDateTime sentAt = at(now);
        OffsetDateTime expiresAt = at(now.plus(d.invitation().expiryDuration()));
        OffsetDateTime remindAt = at(now.plus(d.invitation().reminderDuration()));
        dueWork.wake(remindAt);
        dueWork.wake(expiresAt);
        metrics.counter("survey.invitations.sent", "channel", i.channel(), "purpose", i.purpose()).increment();
        return tx.preparedQuery("UPDATE survey_invitation SET status = 'sent', sent_at = $2, expires_at = $3, remind_at = $4 WHERE id = $1")
                .execute(Tuple.of(i.id(), sentAt, expiresAt, remindAt))
                .chain(() -> outbox.add(tx, "Notification", i.customerId(), EventTypes.NOTIFICATION_REQUESTED, sentAt,
                        events.notification(i, q, sentAt, expiresAt, false), notifications))
                .chain(() -> outbox.add(tx, "SurveyInvitation", i.id().toString(), EventTypes.SURVEY_INVITATION_SENT, sentAt,
                        events.invitationSent(i, sentAt, expiresAt, false), null));
    }

    /** Sends the one reminder of unanswered invitations whose reminder time came (outside quiet hours). */
    public Uni<Integer> remindDue(int batch) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + Invitation.COLUMNS + """
                 FROM survey_invitation WHERE status = 'sent' AND NOT reminded AND remind_at <= now() AND expires_at > now()
                ORDER BY remind_at LIMIT $1 FOR UPDATE SKIP LOCKED""").execute(Tuple.of(batch))
                .chain(rows -> {
                    List<Invitation> due = rows.stream().map(Invitation::of).toList();
                    return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(i -> remind(tx, i))
                            .collect().asList().replaceWith(due.size());
                }));
    }

    private Uni<Void> remind(SqlConnection tx, Invitation i) {
        Instant now = Instant.now();
        Instant allowed = catalog.policy().sendableAt(now);
        Questionnaire q = catalog.definitions().byId(i.questionnaireId()).orElse(null);
        if (allowed.isAfter(now) || q == null) {
            return tx.preparedQuery("UPDATE survey_invitation SET remind_at = $2, reminded = $3 WHERE id = $1")
                    .execute(Tuple.of(i.id(), at(allowed), q == null)).replaceWithVoid();
        }
        OffsetDateTime at = at(now);
        return tx.preparedQuery("UPDATE survey_invitation SET reminded = true WHERE id = $1").execute(Tuple.of(i.id()))
                .chain(() -> outbox.add(tx, "Notification", i.customerId(), EventTypes.NOTIFICATION_REQUESTED, at,
                        events.notification(i, q, at, i.expiresAt(), true), notifications))
                .chain(() -> outbox.add(tx, "SurveyInvitation", i.id().toString(), EventTypes.SURVEY_INVITATION_SENT, at,
                        events.invitationSent(i, at, i.expiresAt(), true), null));
    }

    /** Closes unanswered invitations past their expiry. */
    public Uni<Integer> expireDue(int batch) {
        return pool.preparedQuery("""
                UPDATE survey_invitation SET status = 'expired' WHERE id IN (SELECT id FROM survey_invitation
                WHERE status = 'sent' AND expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)""")
                .execute(Tuple.of(batch)).map(rows -> {
                    if (rows.rowCount() > 0) {
                        metrics.counter("survey.invitations.expired").increment(rows.rowCount());
                    }
                    return rows.rowCount();
                });
    }

    /** Follows a merge: the survivor is the person whose surveys the contact rules count from now on. */
    public Uni<Void> followMerge(String eventId, String mergedId, String survivorId) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO processed_message (message_id, source_topic) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING message_id").execute(Tuple.of(eventId, Topics.IDENTITY_EVENTS))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("INSERT INTO customer_alias (merged_id, survivor_id) VALUES ($1, $2) "
                                + "ON CONFLICT (merged_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id")
                                .execute(Tuple.of(mergedId, survivorId))
                                .chain(() -> tx.preparedQuery("UPDATE customer_alias SET survivor_id = $2 WHERE survivor_id = $1")
                                        .execute(Tuple.of(mergedId, survivorId)))
                                .chain(() -> tx.preparedQuery("UPDATE survey_invitation SET person_id = $2 WHERE person_id = $1")
                                        .execute(Tuple.of(mergedId, survivorId)))
                                .replaceWithVoid()));
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
