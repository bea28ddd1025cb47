package io.unichannel.ticket.automation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.events.Topics;
import io.unichannel.common.timing.DueWork;
import io.unichannel.outbox.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Proactive outage notices (主动告知): when the OSS reports an area outage, every customer whose line
 * is in the area is told before they call, on their preferred channel (channel-gateway chooses it
 * and keeps quiet hours), and told again when the OSS reports it cleared; only those told of the
 * outage are told it is over (everyone in the area when the outage began before the platform heard
 * of it). A run per outage and phase pages through the OSS's customers of the area; each page's
 * notifications and the cursor's advance commit together under a lease, so a page is written once
 * whichever replica takes it, and a crash or an OSS outage only delays the run (tried again with
 * pauses from 5 s to 5 min). At rest the timer costs a comparison a second and one look a minute.
 */
@ApplicationScoped
public class OutageNotices {

    public static final String OPENED = "opened";
    public static final String CLEARED = "cleared";
    static final int PAGE = 500;
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RESTORE_TEXT = DateTimeFormatter.ofPattern("M月d日 HH:mm");

    private final Oss oss;
    private final MeterRegistry metrics;
    private final ZoneId zone;
    private final DueWork due = new DueWork(Duration.ofMinutes(1));

    public OutageNotices(@RestClient Oss oss, MeterRegistry metrics,
            @ConfigProperty(name = "ticket.automation.care.zone", defaultValue = "Asia/Shanghai") ZoneId zone) {
        this.oss = oss;
        this.metrics = metrics;
        this.zone = zone;
    }

    /** What the OSS reported; null fields are what it left out. */
    public record Reported(String outageId, String phase, String area, String cause, String expectedRestore) {
    }

    /**
     * Keeps the OSS's report as a run (once: a repeated report changes nothing). A clearance ends
     * an opening run still under way: nobody else is told of an outage that is over.
     *
     * @return whether this report was new
     */
    public Uni<Boolean> reported(Reported report) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> {
            Uni<Void> endOpening = !CLEARED.equals(report.phase()) ? Uni.createFrom().voidItem()
                    : session.createNativeQuery("UPDATE outage_notice_run SET done_at = :now WHERE outage_id = :id "
                            + "AND phase = 'opened' AND done_at IS NULL").setParameter("now", now)
                            .setParameter("id", report.outageId()).executeUpdate().replaceWithVoid();
            return endOpening.chain(() -> session.createNativeQuery("""
                    INSERT INTO outage_notice_run (outage_id, phase, area, cause, expected_restore, received_at, until_cursor, due_at)
                    VALUES (:id, :phase, :area, :cause, :restore, :now,
                            (SELECT o.cursor FROM outage_notice_run o WHERE o.outage_id = :id AND o.phase = 'opened'
                               AND :phase = 'cleared' AND o.cursor <> ''), :now)
                    ON CONFLICT (outage_id, phase) DO NOTHING""")
                    .setParameter("id", report.outageId()).setParameter("phase", report.phase())
                    .setParameter("area", report.area()).setParameter("cause", report.cause())
                    .setParameter("restore", report.expectedRestore()).setParameter("now", now).executeUpdate());
        })).map(rows -> {
            if (rows > 0) {
                due.wake(Instant.now());
                Log.infof("OSS reports outage %s %s in %s: its customers will be told", report.outageId(), report.phase(),
                        report.area());
            }
            return rows > 0;
        });
    }

    @Scheduled(every = "${ticket.outage-notices.every:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!due.startLook()) {
            return Uni.createFrom().voidItem();
        }
        return pages(0).chain(this::nextDue).invoke(due::looked).replaceWithVoid()
                .onFailure().invoke(e -> {
                    due.again();
                    Log.warnf("Outage notices: a round failed (%s); the next tick retries", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }

    /** Works due pages until none is left (at most 20 in one tick, so a large outage leaves room for the next tick). */
    private Uni<Void> pages(int done) {
        if (done >= 20) {
            due.again();
            return Uni.createFrom().voidItem();
        }
        return page().chain(worked -> worked ? pages(done + 1) : Uni.createFrom().voidItem());
    }

    private record Run(String outageId, String phase, String area, String cause, String expectedRestore, String cursor,
            String untilCursor, int attempts, OffsetDateTime lease) {
    }

    /** Takes one due run, asks the OSS for its next page of customers and writes their notices; false when none was due. */
    Uni<Boolean> page() {
        return claim().chain(run -> {
            if (run == null) {
                return Uni.createFrom().item(false);
            }
            return oss.linesIn(run.area(), run.cursor(), PAGE)
                    .onItemOrFailure().transformToUni((lines, failure) -> failure != null ? later(run, failure)
                            : write(run, lines).onFailure().invoke(e -> Log.warnf(
                                    "Outage %s (%s): a page was not written (%s); tried again when its lease ends",
                                    run.outageId(), run.phase(), e.getMessage())).onFailure().recoverWithNull())
                    .replaceWith(true);
        });
    }

    private Uni<Run> claim() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        OffsetDateTime lease = now.plus(LEASE);
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                UPDATE outage_notice_run r SET lease_until = :lease, attempts = r.attempts + 1
                FROM (SELECT outage_id, phase FROM outage_notice_run
                      WHERE done_at IS NULL AND due_at <= :now AND (lease_until IS NULL OR lease_until < :now)
                      ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED) due
                WHERE r.outage_id = due.outage_id AND r.phase = due.phase
                RETURNING r.outage_id, r.phase, r.area, r.cause, r.expected_restore, r.cursor, r.until_cursor, r.attempts""",
                Object[].class).setParameter("lease", lease).setParameter("now", now).getResultList()))
                .map(rows -> rows.isEmpty() ? null : new Run((String) rows.get(0)[0], (String) rows.get(0)[1],
                        (String) rows.get(0)[2], (String) rows.get(0)[3], (String) rows.get(0)[4], (String) rows.get(0)[5],
                        (String) rows.get(0)[6], ((Number) rows.get(0)[7]).intValue(), lease));
    }

    /** The OSS did not answer: the run waits (5 s, doubling, at most 5 min) and any replica takes it then. */
    private Uni<Void> later(Run run, Throwable failure) {
        long seconds = Math.min(300, 5L << Math.min(6, run.attempts() - 1));
        Log.warnf("Outage %s (%s): the OSS did not list the area's customers (%s); next try in %d s", run.outageId(), run.phase(),
                failure.getMessage(), seconds);
        OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(seconds);
        due.wake(next.toInstant());
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                "UPDATE outage_notice_run SET lease_until = NULL, due_at = :next WHERE outage_id = :id AND phase = :phase "
                        + "AND lease_until = :lease")
                .setParameter("next", next).setParameter("id", run.outageId()).setParameter("phase", run.phase())
                .setParameter("lease", run.lease()).executeUpdate())).replaceWithVoid();
    }

    /** The page's notices and the cursor's advance, in one transaction, only while this replica holds the lease. */
    private Uni<Void> write(Run run, List<Oss.AreaLine> lines) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        List<OutboxEvent> notices = new ArrayList<>();
        String last = run.cursor();
        boolean finished = lines.size() < PAGE;
        for (Oss.AreaLine line : lines) {
            if (line.customerId() == null || !line.customerId().matches("[A-Za-z0-9._:-]{1,64}")
                    || line.customerId().compareTo(last) <= 0) {
                continue;
            }
            if (run.untilCursor() != null && line.customerId().compareTo(run.untilCursor()) > 0) {
                finished = true;
                break;
            }
            notices.add(notice(run, line.customerId(), now));
            last = line.customerId();
        }
        String cursor = last;
        boolean done = finished;
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                "UPDATE outage_notice_run SET cursor = :cursor, told = told + :told, attempts = 0, lease_until = NULL, "
                        + "due_at = :now" + (done ? ", done_at = :now" : "")
                        + " WHERE outage_id = :id AND phase = :phase AND lease_until = :lease AND done_at IS NULL")
                .setParameter("cursor", cursor).setParameter("told", notices.size()).setParameter("now", now)
                .setParameter("id", run.outageId()).setParameter("phase", run.phase())
                .setParameter("lease", run.lease()).executeUpdate()
                .chain(rows -> rows == 0 ? Uni.createFrom().voidItem() // the lease ran out or the run was ended: another wrote it
                        : session.persistAll(notices.toArray()).invoke(() -> {
                            metrics.counter("ticket.outage.notices", "phase", run.phase()).increment(notices.size());
                            if (done) {
                                Log.infof("Outage %s (%s): the last customers of %s told", run.outageId(), run.phase(), run.area());
                            }
                        }))));
    }

    private OutboxEvent notice(Run run, String customerId, OffsetDateTime now) {
        String key = "outage:" + run.outageId() + ":" + run.phase() + ":" + customerId;
        String notificationId = key.length() <= 64 ? key
                : "outage:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("outageId", run.outageId());
        parameters.put("area", run.area());
        if (run.cause() != null) {
            parameters.put("cause", run.cause());
        }
        OffsetDateTime restore = restore(run.expectedRestore());
        if (restore != null) {
            parameters.put("expectedRestore", Timestamps.rfc3339(restore));
            parameters.put("restoreText", RESTORE_TEXT.format(restore.atZoneSameInstant(zone)));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("notificationId", notificationId);
        data.put("customerId", customerId);
        data.put("channel", "preferred");
        data.put("template", "outage-" + run.phase());
        data.put("parameters", parameters);
        data.put("requestedAt", Timestamps.rfc3339(now));
        // News of an outage is useless once it is over; news of its end, a day later.
        OffsetDateTime expires = OPENED.equals(run.phase()) && restore != null && restore.isAfter(now) ? restore.plusHours(2)
                : now.plusHours(24);
        data.put("expiresAt", Timestamps.rfc3339(expires));
        try {
            return OutboxEvent.of(UUID.randomUUID(), "Notification", customerId, EventTypes.NOTIFICATION_REQUESTED, now,
                    JSON.writeValueAsString(data)).to(Topics.NOTIFICATIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime restore(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private Uni<Instant> nextDue() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT min(greatest(due_at, coalesce(lease_until, due_at))) FROM outage_notice_run WHERE done_at IS NULL",
                Object.class).getSingleResultOrNull()))
                .map(io.unichannel.ticket.sla.SlaService::instant);
    }
}
