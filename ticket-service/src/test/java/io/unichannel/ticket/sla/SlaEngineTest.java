package io.unichannel.ticket.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.sla.SlaEngine.Firing;
import io.unichannel.ticket.sla.SlaPolicySet.Action;
import io.unichannel.ticket.sla.SlaPolicySet.TicketFacts;
import org.junit.jupiter.api.Test;

/** The clock rules with an injected clock: start, pause and resume, reopen, re-grading, calendar changes, the ladder. */
class SlaEngineTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    static final String RULES = """
            {"version": "v1",
             "calendars": [{"id": "office", "zone": "Asia/Shanghai",
               "week": {"monday": ["08:30-12:00", "13:30-18:00"], "tuesday": ["08:30-12:00", "13:30-18:00"],
                        "wednesday": ["08:30-12:00", "13:30-18:00"], "thursday": ["08:30-12:00", "13:30-18:00"],
                        "friday": ["08:30-12:00", "13:30-18:00"]},
               "holidays": %s, "regions": ["gz-*"]}],
             "defaultCalendar": "office",
             "ladder": [{"at": 0.5, "action": "warn", "notify": ["assignee"]},
                        {"at": 0.75, "action": "warn", "notify": ["assignee"]},
                        {"at": 0.9, "action": "warn", "notify": ["assignee", "supervisor"]},
                        {"at": 1.0, "action": "breach", "notify": ["assignee", "supervisor"]},
                        {"at": 1.25, "action": "raisePriority", "notify": ["supervisor"]},
                        {"at": 1.5, "action": "reassign", "group": "senior-agents", "notify": ["supervisor"]},
                        {"at": 2.0, "action": "page", "notify": ["responsible"]}],
             "policies": [
               {"id": "grade-1", "match": {"severity": ["critical"]}, "responsible": "duty-1",
                "targets": [{"metric": "firstResponse", "within": "PT1H", "time": "calendar"},
                            {"metric": "resolution", "within": "PT4H", "time": "calendar"}]},
               {"id": "gold-repair", "match": {"ticketType": ["faultRepair"], "customerTier": ["gold", "platinum"]},
                "targets": [{"metric": "resolution", "within": "PT2H"}]},
               {"id": "urgent-repair", "match": {"ticketType": ["faultRepair"], "priority": ["urgent"]},
                "targets": [{"metric": "firstResponse", "within": "PT1H"}, {"metric": "resolution", "within": "PT2H"}]},
               {"id": "repair", "match": {"ticketType": ["faultRepair"]},
                "targets": [{"metric": "firstResponse", "within": "PT2H"}, {"metric": "periodicUpdate", "within": "PT2H"},
                            {"metric": "resolution", "within": "PT4H"}]},
               {"id": "complaint", "match": {"ticketType": ["complaint"]},
                "targets": [{"metric": "resolution", "within": "PT72H", "time": "calendar"}, {"metric": "feedback", "within": "P3D"}]},
               {"id": "default", "match": {}, "targets": [{"metric": "resolution", "within": "P3D"}]}],
             "regulatory": [{"id": "complaint-15d", "match": {"ticketType": ["complaint"]}, "metric": "resolution", "within": "P15D"}]}
            """;

    static SlaPolicySet rules(String holidays) {
        return SlaPolicySet.read(new ByteArrayInputStream(RULES.formatted(holidays).getBytes(StandardCharsets.UTF_8)));
    }

    private final SlaEngine engine = new SlaEngine(rules("[]"));

    private static Instant sh(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private static TicketFacts repair(String priority) {
        return new TicketFacts("faultRepair", "minor", priority, null, "app", "gz-haizhu");
    }

    private static SlaClock clock(List<SlaClock> clocks, String metric) {
        return clocks.stream().filter(c -> c.metric.equals(metric) && !c.regulatory).findFirst().orElseThrow();
    }

    @Test
    void aTicketGetsItsPolicysClocksAndTheRegulatoryOnes() {
        List<SlaClock> complaint = engine.start(new TicketFacts("complaint", "minor", "medium", null, "web", "gz-tianhe"),
                sh("2026-11-23T09:00"));
        assertThat(complaint).extracting(c -> c.metric + "/" + c.policyId).containsExactly(
                "resolution/complaint", "feedback/complaint", "resolution/complaint-15d");
        SlaClock regulatory = complaint.get(2);
        assertThat(regulatory.regulatory).isTrue();
        assertThat(regulatory.dueAt).isEqualTo(sh("2026-12-08T09:00"));
        // 3 working days of 8 h: Monday 09:00 + 24 h of work = Thursday 09:00
        assertThat(clock(complaint, "feedback").dueAt).isEqualTo(sh("2026-11-26T09:00"));

        List<SlaClock> critical = engine.start(new TicketFacts("faultRepair", "critical", "urgent", null, "app", "gz-tianhe"),
                sh("2026-11-28T23:00"));
        assertThat(critical).extracting(c -> c.policyId).containsOnly("grade-1");
        assertThat(clock(critical, "firstResponse").dueAt).isEqualTo(sh("2026-11-29T00:00"));
        assertThat(clock(critical, "firstResponse").responsible).isEqualTo("duty-1");
    }

    @Test
    void highValueCustomersGetTheirOwnPolicy() {
        List<SlaClock> gold = engine.start(new TicketFacts("faultRepair", "minor", "medium", "gold", "app", "gz-haizhu"),
                sh("2026-11-23T09:00"));
        assertThat(gold).extracting(c -> c.policyId).containsOnly("gold-repair");
        assertThat(clock(gold, "resolution").dueAt).isEqualTo(sh("2026-11-23T11:00"));
        assertThat(engine.start(repair("medium"), sh("2026-11-23T09:00"))).extracting(c -> c.policyId).containsOnly("repair");
    }

    @Test
    void waitingOnTheCustomerPausesButHeldDoesNot() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-23T09:00"));
        SlaClock resolution = clock(clocks, "resolution");
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-23T14:30"));

        engine.onStatusChange(clocks, TicketStatus.ACKNOWLEDGED, TicketStatus.HELD, false, sh("2026-11-23T10:00"));
        assertThat(resolution.state).isEqualTo(SlaClock.RUNNING);
        assertThat(SlaEngine.expectedBy(clocks)).contains(Optional.of(sh("2026-11-23T14:30")));

        engine.onStatusChange(clocks, TicketStatus.HELD, TicketStatus.PENDING, true, sh("2026-11-23T11:00"));
        assertThat(resolution.state).isEqualTo(SlaClock.PAUSED);
        assertThat(resolution.usedMillis).isEqualTo(Duration.ofHours(2).toMillis());
        assertThat(SlaEngine.expectedBy(clocks)).contains(Optional.empty());
        assertThat(SlaEngine.nextStageAt(clocks)).as("nothing fires while paused").isNull();

        // the customer answers the next morning: 2 h left, 09:00 -> 11:00
        engine.onStatusChange(clocks, TicketStatus.PENDING, TicketStatus.IN_PROGRESS, true, sh("2026-11-24T09:00"));
        assertThat(resolution.state).isEqualTo(SlaClock.RUNNING);
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-24T11:00"));
        assertThat(engine.usedMillis(resolution, sh("2026-11-24T10:00"))).isEqualTo(Duration.ofHours(3).toMillis());
    }

    @Test
    void onlyAPersonGivesTheFirstResponse() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-23T09:00"));
        engine.onStatusChange(clocks, TicketStatus.ACKNOWLEDGED, TicketStatus.IN_PROGRESS, false, sh("2026-11-23T09:05"));
        assertThat(clock(clocks, "firstResponse").state).as("automation started work").isEqualTo(SlaClock.RUNNING);
        engine.onPersonUpdate(clocks, sh("2026-11-23T09:30"));
        SlaClock first = clock(clocks, "firstResponse");
        assertThat(first.state).isEqualTo(SlaClock.STOPPED);
        assertThat(first.outcome).isEqualTo("met");
        assertThat(first.usedMillis).isEqualTo(Duration.ofMinutes(30).toMillis());
    }

    @Test
    void theUpdateClockStartsAgainAfterEachUpdateByAPerson() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-23T09:00"));
        SlaClock update = clock(clocks, "periodicUpdate");
        assertThat(engine.due(clocks, sh("2026-11-23T10:00"))).extracting(f -> f.clock().metric + "@" + f.stage().at())
                .containsExactlyInAnyOrder("firstResponse@0.5", "periodicUpdate@0.5");
        engine.onPersonUpdate(clocks, sh("2026-11-23T10:30"));
        assertThat(update.stagesFired).isZero();
        assertThat(update.dueAt).isEqualTo(sh("2026-11-23T14:00"));
    }

    @Test
    void aReopenContinuesTheResolutionClock() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-23T09:00"));
        SlaClock resolution = clock(clocks, "resolution");
        engine.onStatusChange(clocks, TicketStatus.ACKNOWLEDGED, TicketStatus.IN_PROGRESS, true, sh("2026-11-23T09:10"));
        engine.onStatusChange(clocks, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, true, sh("2026-11-23T10:00"));
        assertThat(resolution.state).isEqualTo(SlaClock.STOPPED);
        assertThat(resolution.outcome).isEqualTo("met");
        assertThat(SlaEngine.expectedBy(clocks)).isEmpty();

        // reopened the next day at 09:00 with 1 h used: 3 h left
        engine.onStatusChange(clocks, TicketStatus.RESOLVED, TicketStatus.IN_PROGRESS, true, sh("2026-11-24T09:00"));
        assertThat(resolution.state).isEqualTo(SlaClock.RUNNING);
        assertThat(resolution.outcome).isNull();
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-24T12:00"));
        assertThat(clock(clocks, "firstResponse").state).as("the first response stays given").isEqualTo(SlaClock.STOPPED);

        engine.onStatusChange(clocks, TicketStatus.IN_PROGRESS, TicketStatus.CANCELLED, true, sh("2026-11-24T09:30"));
        assertThat(resolution.outcome).isEqualTo("cancelled");
    }

    @Test
    void theLadderFiresEachStageOnceInOrderAndMarksTheBreach() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-23T09:00"));
        engine.onPersonUpdate(clocks, sh("2026-11-23T09:01"));
        clocks.removeIf(c -> !c.metric.equals("resolution"));
        // resolution 4 h of work from 09:00 (lunch 12:00-13:30): 50 % 11:00, 75 % 12:00, 90 % 14:06,
        // 100 % 14:30, 125 % 15:30, 150 % 16:30, 200 % the next day 09:00
        List<Firing> first = engine.due(clocks, sh("2026-11-23T13:00"));
        assertThat(first).extracting(f -> f.stage().at()).containsExactly(0.5, 0.75);
        assertThat(first.get(1).dueAt()).isEqualTo(sh("2026-11-23T12:00"));
        assertThat(engine.due(clocks, sh("2026-11-23T13:00"))).as("fired stages never fire again").isEmpty();
        List<Firing> later = engine.due(clocks, sh("2026-11-24T10:00"));
        assertThat(later).extracting(f -> f.stage().action()).containsExactly(Action.WARN, Action.BREACH,
                Action.RAISE_PRIORITY, Action.REASSIGN, Action.PAGE);
        assertThat(later).extracting(Firing::dueAt).containsExactly(sh("2026-11-23T14:06"), sh("2026-11-23T14:30"),
                sh("2026-11-23T15:30"), sh("2026-11-23T16:30"), sh("2026-11-24T09:00"));
        SlaClock resolution = clocks.get(0);
        assertThat(resolution.breached).isTrue();
        assertThat(resolution.breachedAt).isEqualTo(sh("2026-11-23T14:30"));
        assertThat(resolution.nextStageAt).isNull();
        engine.onStatusChange(clocks, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, true, sh("2026-11-24T11:00"));
        assertThat(resolution.outcome).isEqualTo("breached");
    }

    @Test
    void aNewPriorityRetargetsKeepingTheTimeUsedAndDoesNotSendPassedWarningsLate() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-23T09:00"));
        engine.onPersonUpdate(clocks, sh("2026-11-23T09:01"));
        // 1.5 h used of 4 h, then urgent: 2 h target, 75 % already passed
        engine.retarget(clocks, repair("urgent"), sh("2026-11-23T10:30"));
        SlaClock resolution = clock(clocks, "resolution");
        assertThat(resolution.policyId).isEqualTo("urgent-repair");
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-23T11:00"));
        assertThat(resolution.stagesFired).as("50 %% and 75 %% warnings skipped").isEqualTo(2);
        assertThat(clock(clocks, "periodicUpdate").outcome).as("the new policy has no update target").isEqualTo("retired");
        assertThat(engine.due(clocks, sh("2026-11-23T11:00"))).extracting(f -> f.stage().at()).containsExactly(0.9, 1.0);

        // back to medium: 4 h target again, 2 h used: 11:00-12:00 and 13:30-14:30
        engine.retarget(clocks, repair("medium"), sh("2026-11-23T11:00"));
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-23T14:30"));
        assertThat(clock(clocks, "periodicUpdate").state).as("a retired clock is not brought back").isEqualTo(SlaClock.STOPPED);
    }

    @Test
    void aCalendarChangeMovesLiveDeadlinesKeepingTheTimeUsed() {
        List<SlaClock> clocks = engine.start(repair("medium"), sh("2026-11-24T09:00"));
        SlaClock resolution = clock(clocks, "resolution");
        engine.onPersonUpdate(clocks, sh("2026-11-24T09:05"));
        // 4 h from Tuesday 09:00 = 14:30; then Tuesday afternoon is declared a holiday at 10:00 (1 h used)
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-24T14:30"));
        SlaEngine withHoliday = new SlaEngine(rules("[\"2026-11-24\"]"));
        assertThat(withHoliday.recalendar(clocks, engine.rules(), sh("2026-11-24T10:00"))).isTrue();
        assertThat(resolution.usedMillis).isEqualTo(Duration.ofHours(1).toMillis());
        // 3 h left from Wednesday 08:30
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-25T11:30"));
        assertThat(clock(clocks, "firstResponse").state).isEqualTo(SlaClock.STOPPED);
        assertThat(withHoliday.recalendar(clocks, withHoliday.rules(), sh("2026-11-24T10:00"))).as("same calendar").isFalse();
        // a second replica that read the same change later does not move the clock again
        assertThat(withHoliday.recalendar(clocks, engine.rules(), sh("2026-11-24T10:05"))).isFalse();
        assertThat(resolution.usedMillis).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(resolution.dueAt).isEqualTo(sh("2026-11-25T11:30"));
    }

    @Test
    void regulatoryClocksRunInCalendarTimeThroughEveryPause() {
        List<SlaClock> clocks = engine.start(new TicketFacts("complaint", "minor", "medium", null, "sms", "sz-futian"),
                sh("2026-11-23T09:00"));
        engine.onStatusChange(clocks, TicketStatus.ACKNOWLEDGED, TicketStatus.PENDING, true, sh("2026-11-24T09:00"));
        SlaClock legal = clocks.stream().filter(c -> c.regulatory).findFirst().orElseThrow();
        assertThat(legal.state).isEqualTo(SlaClock.RUNNING);
        assertThat(clock(clocks, "resolution").state).isEqualTo(SlaClock.PAUSED);
        assertThat(engine.usedMillis(legal, sh("2026-11-30T09:00"))).isEqualTo(Duration.ofDays(7).toMillis());
    }
}
