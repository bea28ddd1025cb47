package io.unichannel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** What one ticket event adds to the KPIs, given what is known of the ticket. */
class TicketLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String type, int sequence, String status, String history, String extra) throws Exception {
        return JSON.readTree("""
                {"eventType":"%s","sequence":%d,"eventTime":"2026-11-22T10:00:00Z","event":{"troubleTicket":{
                 "id":"TT-1","ticketType":"faultRepair","status":"%s","creationDate":"2026-11-22T09:00:00Z",
                 "channel":{"name":"app"},"region":"gz","statusChangeHistory":[%s],
                 "relatedParty":[{"id":"C-1","role":"customer"},{"id":"agent-li","role":"assignee"}]%s}}}
                """.formatted(type, sequence, status, history, extra));
    }

    private static final String OPENED = "{\"status\":\"acknowledged\",\"changeDate\":\"2026-11-22T09:00:00Z\"}";
    private static final String TAKEN = "{\"status\":\"inProgress\",\"changeDate\":\"2026-11-22T09:10:00Z\"}";
    /** What ticket-service adds once a person has answered: the characteristic firstResponseDate. */
    private static final String ANSWERED = ",\"troubleTicketCharacteristic\":[{\"name\":\"firstResponseDate\",\"valueType\":\"string\","
            + "\"value\":\"2026-11-22T09:10:00Z\",\"@type\":\"StringCharacteristic\"}]";

    @Test
    void aTicketsLifeCountsOpeningResponseResolutionAndBacklogOnceEach() throws Exception {
        TicketLedger.Step created = TicketLedger.apply(null, event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        assertThat(created.contributions()).extracting(Contribution::kpi).containsExactly("complaintRate", "backlog");
        assertThat(created.complaint()).as("not a complaint").isNull();

        TicketLedger.Step replay = TicketLedger.apply(created.after(), event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        assertThat(replay.contributions()).as("a replay counts nothing").isEmpty();

        TicketLedger.Step taken = TicketLedger.apply(created.after(),
                event("TroubleTicketStatusChangeEvent", 2, "inProgress", OPENED + "," + TAKEN, ANSWERED));
        assertThat(taken.contributions()).singleElement().satisfies(c -> {
            assertThat(c.kpi()).isEqualTo("firstResponseTime");
            assertThat(c.sums().sum()).isEqualTo(600.0);
            assertThat(c.dimensions().agent()).isEqualTo("agent-li");
        });

        TicketLedger.Step breached = TicketLedger.apply(taken.after(), JSON.readTree(event("TroubleTicketSlaBreachEvent", 3,
                "inProgress", OPENED + "," + TAKEN, ANSWERED).toString().replaceFirst("\\{", "{\"slaStage\":{\"action\":\"breach\"},")));
        assertThat(breached.after().breached()).isTrue();

        TicketLedger.Step resolved = TicketLedger.apply(breached.after(), event("TroubleTicketResolvedEvent", 4, "resolved",
                OPENED + "," + TAKEN, ",\"resolutionDate\":\"2026-11-22T11:00:00Z\"" + ANSWERED));
        assertThat(resolved.contributions()).extracting(Contribution::kpi)
                .containsExactly("resolutionTime", "mttr", "slaCompliance", "backlog");
        assertThat(resolved.contributions().get(0).sums().sum()).isEqualTo(7200.0);
        assertThat(resolved.contributions().get(2).sums()).as("breached: not compliant").isEqualTo(new Sums(0, 1, 0, 0));
        assertThat(resolved.contributions().get(3).sums().sum()).isEqualTo(-1.0);
        assertThat(resolved.after().open()).isFalse();
    }

    /** Only a person's answer is a first response: ticket-service marks it with firstResponseDate. */
    @Test
    void theFirstResponseIsAPersonsAnswerAndAutomationNeverCounts() throws Exception {
        TicketLedger.Step created = TicketLedger.apply(null, event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        TicketLedger.Step routed = TicketLedger.apply(created.after(), JSON.readTree(event("TroubleTicketAttributeValueChangeEvent", 2,
                "acknowledged", OPENED, "").toString().replaceFirst("\\{", "{\"fieldPath\":[\"assignee\"],")));
        assertThat(routed.contributions()).as("routing is not a person's answer").isEmpty();
        TicketLedger.Step automated = TicketLedger.apply(routed.after(), JSON.readTree(event("TroubleTicketStatusChangeEvent", 3,
                "inProgress", TAKEN, "").toString().replaceFirst("\\{", "{\"fieldPath\":[\"status\",\"note\"],")));
        assertThat(automated.contributions()).as("automation took it up and wrote a note: no person answered").isEmpty();
        TicketLedger.Step taken = TicketLedger.apply(automated.after(), JSON.readTree(event("TroubleTicketAttributeValueChangeEvent", 4,
                "inProgress", TAKEN, ANSWERED).toString().replaceFirst("\\{", "{\"fieldPath\":[\"note\"],")));
        assertThat(taken.contributions()).singleElement().satisfies(c -> {
            assertThat(c.kpi()).isEqualTo("firstResponseTime");
            assertThat(c.sums().sum()).as("09:00 to the person's answer at 09:10").isEqualTo(600.0);
        });
        TicketLedger.Step noted = TicketLedger.apply(taken.after(), JSON.readTree(event("TroubleTicketAttributeValueChangeEvent", 5,
                "inProgress", TAKEN, ANSWERED).toString().replaceFirst("\\{", "{\"fieldPath\":[\"note\"],")));
        assertThat(noted.contributions()).as("answered once only").isEmpty();

        TicketLedger.Step other = TicketLedger.apply(null, event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        TicketLedger.Step selfServed = TicketLedger.apply(other.after(), JSON.readTree(event("TroubleTicketResolvedEvent", 2,
                "resolved", TAKEN, ",\"resolutionDate\":\"2026-11-22T09:01:00Z\"").toString().replaceFirst("\\{",
                        "{\"slaClocks\":[{\"metric\":\"firstResponse\",\"state\":\"stopped\",\"usedSeconds\":60,"
                                + "\"outcome\":\"answeredAutomatically\"}],")));
        assertThat(selfServed.contributions()).extracting(Contribution::kpi).as("resolved by the rules: no first response")
                .doesNotContain("firstResponseTime").contains("resolutionTime");

        TicketLedger.Step older = TicketLedger.apply(null, event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        TicketLedger.Step clocked = TicketLedger.apply(older.after(), JSON.readTree(event("TroubleTicketAttributeValueChangeEvent", 2,
                "acknowledged", OPENED, "").toString().replaceFirst("\\{", "{\"fieldPath\":[\"note\"],\"slaClocks\":"
                        + "[{\"metric\":\"firstResponse\",\"state\":\"stopped\",\"usedSeconds\":240,\"outcome\":\"met\"}],")));
        assertThat(clocked.contributions()).as("an event from before firstResponseDate: the clock a person stopped")
                .singleElement().satisfies(c -> assertThat(c.sums().sum()).as("the clock's business time").isEqualTo(240.0));
    }

    /** A follow-up a survey answer opened takes up the earlier matter: not a new complaint. */
    @Test
    void aSurveyFollowUpIsNotANewComplaint() throws Exception {
        TicketLedger.Step followUp = TicketLedger.apply(null, JSON.readTree(event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED,
                ",\"troubleTicketRelationship\":[{\"id\":\"TT-0\",\"relationshipType\":\"isFollowUpOf\","
                        + "\"@type\":\"TroubleTicketRelationship\"}]").toString().replace("faultRepair", "complaint")));
        assertThat(followUp.contributions()).extracting(Contribution::kpi).containsExactly("backlog");
        assertThat(followUp.complaint()).as("not checked for repeat complaints").isNull();
        TicketLedger.Step complaint = TicketLedger.apply(null, JSON.readTree(event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, "")
                .toString().replace("faultRepair", "complaint")));
        assertThat(complaint.contributions().get(0).sums()).as("a customer's own complaint counts").isEqualTo(Sums.ratio(true));
        assertThat(complaint.complaint()).isNotNull();
    }

    /** The routing decision's queue is the ticket's team from then on; the decision itself counts nothing. */
    @Test
    void aRoutingDecisionGivesTheTicketItsTeam() throws Exception {
        String decision = "{\"eventType\":\"TroubleTicketRoutedEvent\",\"eventTime\":\"2026-11-22T09:05:00Z\","
                + "\"event\":{\"routingDecision\":{\"ticketId\":\"TT-1\",\"queue\":\"broadband-repair\",\"outcome\":\"offered\"}}}";
        assertThat(TicketLedger.apply(null, JSON.readTree(decision)).after()).as("a decision for a ticket not seen").isNull();
        TicketLedger.Step created = TicketLedger.apply(null, event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        assertThat(created.contributions()).allSatisfy(c -> assertThat(c.dimensions().team()).isEqualTo("-"));
        TicketLedger.Step routed = TicketLedger.apply(created.after(), JSON.readTree(decision));
        assertThat(routed.after().team()).isEqualTo("broadband-repair");
        assertThat(routed.contributions()).as("the open ticket's backlog moves to the team").extracting(c -> c.dimensions().team()
                + " " + c.sums().sum()).containsExactly("- -1.0", "broadband-repair 1.0");
        TicketLedger.Step resolved = TicketLedger.apply(routed.after(), event("TroubleTicketResolvedEvent", 2, "resolved",
                OPENED + "," + TAKEN, ",\"resolutionDate\":\"2026-11-22T11:00:00Z\""));
        assertThat(resolved.contributions()).filteredOn(c -> c.kpi().equals("mttr")).singleElement()
                .satisfies(c -> assertThat(c.dimensions().get("team")).isEqualTo("broadband-repair"));
        assertThat(resolved.contributions()).filteredOn(c -> c.kpi().equals("backlog")).singleElement()
                .as("the backlog leaves from where the ticket is held")
                .satisfies(c -> assertThat(c.dimensions().team()).isEqualTo("broadband-repair"));
        assertThatThrownBy(() -> TicketLedger.apply(created.after(), JSON.readTree(decision.replace("\"queue\":\"broadband-repair\",", ""))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Dimensions.fromKey("app~complaint~gz~agent-li").team()).as("keys from before teams").isEqualTo("-");
        assertThat(Dimensions.fromKey(resolved.contributions().get(0).dimensions().key())).isEqualTo(resolved.contributions().get(0).dimensions());
    }

    @Test
    void theResolutionClocksBusinessTimeIsUsedWhenTheEventCarriesIt() throws Exception {
        TicketLedger.Step created = TicketLedger.apply(null, event("TroubleTicketCreateEvent", 1, "acknowledged", OPENED, ""));
        TicketLedger.Step resolved = TicketLedger.apply(created.after(), JSON.readTree(event("TroubleTicketResolvedEvent", 2,
                "resolved", OPENED, ",\"resolutionDate\":\"2026-11-22T11:00:00Z\"").toString().replaceFirst("\\{",
                        "{\"slaClocks\":[{\"metric\":\"resolution\",\"state\":\"stopped\",\"usedSeconds\":1800,\"breached\":false}],")));
        assertThat(resolved.contributions()).filteredOn(c -> c.kpi().equals("resolutionTime")).singleElement()
                .satisfies(c -> assertThat(c.sums().sum()).isEqualTo(1800.0));
    }

    @Test
    void anEventThatCanNeverBeCountedSaysWhy() {
        for (String broken : List.of("{}", "{\"eventType\":\"X\",\"sequence\":0,\"event\":{\"troubleTicket\":{\"id\":\"T\"}}}",
                "{\"eventType\":\"X\",\"sequence\":1,\"event\":{\"troubleTicket\":{\"id\":\"T\",\"creationDate\":\"yesterday\"}}}")) {
            assertThatThrownBy(() -> TicketLedger.apply(null, JSON.readTree(broken))).as(broken)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
