package io.unichannel.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generated event history (tickets opened, answered, breached, resolved; survey answers; hotline
 * calls; replays and broken records among them) fed through the real topics: every KPI the API
 * answers equals the value computed by hand from the same history.
 */
@QuarkusTest
class KpiComputationTest {

    private static final List<String> TYPES = List.of("complaint", "faultRepair", "consultation", "businessRequest");
    private static final List<String> CHANNELS = List.of("app", "wechat", "sms", "hotline", "web");
    private static String ops;

    @BeforeAll
    static void token() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    @Test
    void everyKpiEqualsTheValueComputedByHandFromAGeneratedHistory() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String region = "kt-" + run;
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        Map<String, long[]> expected = new LinkedHashMap<>(); // kpi -> numerator, denominator, sum, count
        for (Kpi kpi : Kpi.values()) {
            expected.put(kpi.id(), new long[4]);
        }
        List<String> persons = List.of("P1-" + run, "P2-" + run, "P3-" + run, "P4-" + run);
        Map<String, List<Instant>> complaintsOf = new HashMap<>();
        record Ticket(String id, String type, String channel, String customer, Instant created) {
        }
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tickets.add(new Ticket("TT-" + run + "-" + i, TYPES.get(random.nextInt(TYPES.size())),
                    CHANNELS.get(random.nextInt(CHANNELS.size())), persons.get(random.nextInt(persons.size())),
                    base.plusSeconds(random.nextInt(3 * 3600))));
        }
        tickets.sort(java.util.Comparator.comparing(Ticket::created).reversed()); // arrival order need not be time order
        Map<String, long[]> byTeam = new java.util.TreeMap<>(); // team -> resolutions, still open
        for (Ticket t : tickets) {
            String agent = "ag-" + random.nextInt(3) + "-" + run;
            List<Map<String, Object>> history = new ArrayList<>(List.of(AnalyticsEvents.status("acknowledged", t.created())));
            AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_CREATE, t.id(), 1, t.type(), t.channel(), region, t.customer(), null,
                    t.created(), history, null, null);
            expected.get("complaintRate")[1]++;
            if (t.type().equals("complaint")) {
                expected.get("complaintRate")[0]++;
                complaintsOf.computeIfAbsent(t.customer(), k -> new ArrayList<>()).add(t.created());
            }
            if (random.nextInt(10) < 2) {
                AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_CREATE, t.id(), 1, t.type(), t.channel(), region, t.customer(),
                        null, t.created(), history, null, null); // a replay: counts nothing
            }
            expected.get("backlog")[2]++;
            // Most tickets are routed to a queue: their team from then on.
            String team = random.nextInt(10) < 8 ? "tm-" + random.nextInt(2) + "-" + run : "-";
            if (!team.equals("-")) {
                AnalyticsEvents.send(Topics.TICKET_EVENTS, Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_ROUTED, t.id(), Map.of(
                        "eventId", UUID.randomUUID().toString(), "eventTime", t.created().plusSeconds(5).toString(),
                        "eventType", EventTypes.TROUBLE_TICKET_ROUTED, "event", Map.of("routingDecision", Map.of("id",
                                UUID.randomUUID().toString(), "ticketId", t.id(), "queue", team, "outcome", "offered"))));
            }
            long[] teamCounts = byTeam.computeIfAbsent(team, k -> new long[2]);
            teamCounts[1]++;
            int sequence = 1;
            if (random.nextInt(10) < 7) {
                int responseSeconds = 30 + random.nextInt(1800);
                Instant responded = t.created().plusSeconds(responseSeconds);
                history.add(AnalyticsEvents.status("inProgress", responded));
                AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_STATUS_CHANGE, t.id(), ++sequence, t.type(), t.channel(), region,
                        t.customer(), agent, t.created(), history, null, null);
                expected.get("firstResponseTime")[2] += responseSeconds;
                expected.get("firstResponseTime")[3]++;
                if (random.nextInt(10) < 8) {
                    boolean breach = random.nextInt(4) == 0;
                    if (breach) {
                        AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_SLA_BREACH, t.id(), ++sequence, t.type(), t.channel(),
                                region, t.customer(), agent, t.created(), history, null, Map.of("action", "breach", "at", 1.0));
                    }
                    int resolveSeconds = responseSeconds + 60 + random.nextInt(7200);
                    Instant resolved = t.created().plusSeconds(resolveSeconds);
                    history.add(AnalyticsEvents.status("resolved", resolved));
                    AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_RESOLVED, t.id(), ++sequence, t.type(), t.channel(), region,
                            t.customer(), agent, t.created(), history, resolved, null);
                    expected.get("resolutionTime")[2] += resolveSeconds;
                    expected.get("resolutionTime")[3]++;
                    if (t.type().equals("faultRepair")) {
                        expected.get("mttr")[2] += resolveSeconds;
                        expected.get("mttr")[3]++;
                    }
                    expected.get("slaCompliance")[1]++;
                    expected.get("slaCompliance")[0] += breach ? 0 : 1;
                    expected.get("backlog")[2]--;
                    teamCounts[0]++;
                    teamCounts[1]--;
                }
            }
        }
        for (List<Instant> times : complaintsOf.values()) {
            for (Instant at : times) {
                expected.get("repeatComplaintRate")[1]++;
                if (times.stream().anyMatch(o -> o.isBefore(at) && !o.isBefore(at.minus(30, ChronoUnit.DAYS)))) {
                    expected.get("repeatComplaintRate")[0]++;
                }
            }
        }
        // Survey answers (some replayed) and hotline calls on a channel name of this run's own.
        String ivr = "ivr-" + run;
        for (int i = 0; i < 40; i++) {
            int csat = 1 + random.nextInt(5);
            int nps = random.nextInt(11);
            boolean fcr = random.nextBoolean();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("invitationId", UUID.randomUUID().toString());
            answer.put("ticketId", "TT-" + run + "-" + i);
            answer.put("customerId", persons.get(i % persons.size()));
            answer.put("channel", CHANNELS.get(i % CHANNELS.size()));
            answer.put("serviceType", TYPES.get(i % TYPES.size()));
            answer.put("templateId", "complaint");
            answer.put("questionnaireVersion", 1);
            answer.put("region", region);
            answer.put("csat", csat);
            answer.put("nps", nps);
            answer.put("firstContactResolution", fcr);
            answer.put("followUp", false);
            answer.put("answers", List.of());
            answer.put("answeredAt", base.plusSeconds(random.nextInt(3 * 3600)).toString());
            int copies = random.nextInt(5) == 0 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                AnalyticsEvents.send(Topics.SURVEY_EVENTS, Topics.SURVEY_SERVICE, EventTypes.SURVEY_RESPONSE_RECEIVED,
                        (String) answer.get("invitationId"), answer);
            }
            expected.get("csat")[1]++;
            expected.get("csat")[0] += csat >= 4 ? 1 : 0;
            expected.get("nps")[2] += nps >= 9 ? 1 : nps <= 6 ? -1 : 0;
            expected.get("nps")[3]++;
            expected.get("firstContactResolution")[1]++;
            expected.get("firstContactResolution")[0] += fcr ? 1 : 0;
        }
        long connected = 0;
        long askedForAgent = 0;
        for (int i = 0; i < 30; i++) {
            String callId = "cti-" + run + "-" + i;
            Instant started = base.plusSeconds(random.nextInt(3 * 3600));
            String outcome = List.of("connected", "abandoned", "ivr-only").get(random.nextInt(3));
            if (outcome.equals("connected")) {
                call(callId, "connected", outcome, ivr, started, started.plusSeconds(20), null);
                connected++;
            }
            call(callId, outcome.equals("abandoned") ? "abandoned" : "ended", outcome, ivr, started,
                    outcome.equals("connected") ? started.plusSeconds(20) : null, started.plusSeconds(200));
            askedForAgent += outcome.equals("ivr-only") ? 0 : 1;
        }
        // Records that can never be counted are set aside; the history around them still counts.
        AnalyticsEvents.raw(Topics.TICKET_EVENTS, EventTypes.TROUBLE_TICKET_CREATE, "broken-" + run, "{not json");
        AnalyticsEvents.raw(Topics.TICKET_EVENTS, EventTypes.TROUBLE_TICKET_CREATE, "broken2-" + run,
                "{\"eventType\":\"TroubleTicketCreateEvent\",\"sequence\":\"x\",\"event\":{}}");
        // A record that names no source at all is nobody's: set aside, and the topology carries on.
        KafkaTestSupport.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TICKET_EVENTS, "nosource-" + run,
                "{\"eventType\":\"TroubleTicketCreateEvent\",\"sequence\":1,\"event\":{}}"));
        // A complaint in another service's name on ticket-events is a forgery: set aside, never counted.
        AnalyticsEvents.ticketFrom(Topics.SURVEY_SERVICE, EventTypes.TROUBLE_TICKET_CREATE, "forged-" + run, 1, "complaint", "app",
                region, "C-forged", null, base, List.of(AnalyticsEvents.status("acknowledged", base)), null, null);

        long[] calls = {connected, askedForAgent};
        String from = base.toString();
        String to = base.plus(6, ChronoUnit.HOURS).toString();
        Awaitility.await("KPIs of the generated history (seed " + seed + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonPath answer = given().auth().oauth2(ops).queryParam("grain", "hour").queryParam("from", from)
                            .queryParam("to", to).queryParam("region", region).get("/api/v1/kpis").then().statusCode(200)
                            .extract().jsonPath();
                    Map<String, long[]> actual = totals(answer.getList("rows"));
                    for (String kpi : List.of("complaintRate", "repeatComplaintRate", "firstResponseTime", "resolutionTime", "mttr",
                            "slaCompliance", "backlog", "csat", "nps", "firstContactResolution")) {
                        assertThat(actual.getOrDefault(kpi, new long[4])).as("%s (seed %d)", kpi, seed).containsExactly(expected.get(kpi));
                    }
                });
        // By team (the routing queue): resolutions and the backlog where the tickets are held now.
        Awaitility.await("KPIs by team").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath answer = given().auth().oauth2(ops).queryParam("grain", "hour").queryParam("from", from).queryParam("to", to)
                    .queryParam("region", region).queryParam("kpi", "resolutionTime,backlog").queryParam("groupBy", "team")
                    .get("/api/v1/kpis").then().statusCode(200).extract().jsonPath();
            Map<String, long[]> actual = new java.util.TreeMap<>();
            for (Map<String, Object> row : answer.<Map<String, Object>>getList("rows")) {
                long[] counts = actual.computeIfAbsent(((Map<?, ?>) row.get("dimensions")).get("team").toString(), k -> new long[2]);
                if (row.get("kpi").equals("resolutionTime")) {
                    counts[0] += ((Number) row.get("count")).longValue();
                } else {
                    counts[1] += Math.round(((Number) row.get("sum")).doubleValue());
                }
            }
            actual.values().removeIf(c -> c[0] == 0 && c[1] == 0);
            Map<String, long[]> wanted = new java.util.TreeMap<>(byTeam);
            wanted.values().removeIf(c -> c[0] == 0 && c[1] == 0);
            assertThat(actual.keySet()).as("teams (seed %d)", seed).isEqualTo(wanted.keySet());
            wanted.forEach((team, counts) -> assertThat(actual.get(team)).as("%s (seed %d)", team, seed).containsExactly(counts));
        });
        Awaitility.await("connect rate").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath answer = given().auth().oauth2(ops).queryParam("kpi", "connectRate").queryParam("grain", "day")
                    .queryParam("from", from).queryParam("to", to).queryParam("channel", ivr).get("/api/v1/kpis").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(totals(answer.getList("rows")).get("connectRate")).containsExactly(new long[] {calls[0], calls[1], 0, 0});
        });

        // Values, not only sums: the KPI's own formula over the whole period, grouped by nothing.
        JsonPath day = given().auth().oauth2(ops).queryParam("grain", "month").queryParam("from", from).queryParam("to", to)
                .queryParam("region", region).queryParam("kpi", "csat,nps,complaintRate").get("/api/v1/kpis").then()
                .statusCode(200).extract().jsonPath();
        Map<String, long[]> month = totals(day.getList("rows"));
        if (day.getList("rows").size() == 3) { // one month window holds the whole history
            assertThat(day.getDouble("rows.find { it.kpi == 'nps' }.value"))
                    .isCloseTo(expected.get("nps")[2] * 100.0 / expected.get("nps")[3], within(1e-9));
            assertThat(day.getDouble("rows.find { it.kpi == 'csat' }.value"))
                    .isCloseTo((double) expected.get("csat")[0] / expected.get("csat")[1], within(1e-9));
        }
        assertThat(month.get("complaintRate")).containsExactly(expected.get("complaintRate"));

        // The same numbers as CSV, for spreadsheets and BI.
        String csv = given().auth().oauth2(ops).accept("text/csv").queryParam("grain", "month").queryParam("from", from)
                .queryParam("to", to).queryParam("region", region).queryParam("kpi", "complaintRate").queryParam("groupBy", "region")
                .get("/api/v1/kpis").then().statusCode(200).contentType("text/csv").extract().asString();
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo(
                "kpi,windowStart,windowEnd,region,value,unit,sampleSize,numerator,denominator,sum,count");
        assertThat(csv.lines().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[8])).sum())
                .isEqualTo(expected.get("complaintRate")[1]);

        // Snapshots for BI follow their schema; the broken records were set aside with a reason.
        var snapshots = KafkaTestSupport.readMatching(Topics.KPI_SNAPSHOTS, r -> r.value() != null && r.value().contains(region), 5,
                Duration.ofSeconds(15));
        assertThat(snapshots).isNotEmpty();
        snapshots.forEach(EventSchemaAssert::assertValidEvent);
        // (The pain-point list's consumer sets its own copy of a broken ticket or survey event aside too.)
        var letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> r.key() != null && r.key().endsWith(run)
                && r.value().contains("analytics-service") && !r.value().contains("no pain signal"), 4, Duration.ofSeconds(15));
        assertThat(letters).hasSize(4);
        assertThat(letters).anySatisfy(l -> assertThat(l.value()).contains("does not publish on ticket-events"));
    }

    private static void call(String id, String state, String outcome, String channel, Instant started, Instant connectedAt,
            Instant endedAt) {
        Map<String, Object> interaction = new LinkedHashMap<>();
        interaction.put("id", id);
        interaction.put("@type", "PartyInteraction");
        interaction.put("channel", channel);
        interaction.put("state", state);
        interaction.put("outcome", state.equals("connected") ? "connected" : outcome);
        interaction.put("startedAt", started.toString());
        interaction.put("connectedAt", connectedAt == null ? null : connectedAt.toString());
        interaction.put("endedAt", endedAt == null ? null : endedAt.toString());
        interaction.put("agent", connectedAt == null ? null : "agent-li");
        AnalyticsEvents.send(Topics.INTERACTION_EVENTS, Topics.CHANNEL_GATEWAY, EventTypes.PARTY_INTERACTION_STATE_CHANGE, id,
                Map.of("eventId", id + ":" + state, "eventTime", (endedAt == null ? connectedAt : endedAt).toString(),
                        "eventType", EventTypes.PARTY_INTERACTION_STATE_CHANGE, "event", Map.of("partyInteraction", interaction)));
    }

    /** Sums per KPI across every row (windows and groups add up exactly). */
    static Map<String, long[]> totals(List<Map<String, Object>> rows) {
        Map<String, long[]> out = new HashMap<>();
        for (Map<String, Object> row : rows) {
            long[] t = out.computeIfAbsent((String) row.get("kpi"), k -> new long[4]);
            t[0] += ((Number) row.get("numerator")).longValue();
            t[1] += ((Number) row.get("denominator")).longValue();
            t[2] += Math.round(((Number) row.get("sum")).doubleValue());
            t[3] += ((Number) row.get("count")).longValue();
        }
        return out;
    }
}
