package io.unichannel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.analytics.PainPointMap.Signal;
import io.unichannel.analytics.service.PainPoints;
import io.unichannel.analytics.service.PainPoints.Measures;
import org.junit.jupiter.api.Test;

/** Where each pain signal belongs, and when a pain point counts as improved. */
class PainPointMapTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private final PainPointMap map = PainPointMap.load(null);

    private static JsonNode ticket(String category, String type, String extra) throws Exception {
        return JSON.readTree("""
                {"eventTime":"2026-11-30T17:00:00Z","event":{"troubleTicket":{"id":"TT-1","ticketType":"%s",
                 "creationDate":"2026-11-30T16:30:00Z"%s}}%s}
                """.formatted(type, category == null ? ""
                        : ",\"characteristic\":[{\"name\":\"category\",\"value\":\"" + category + "\"}]", extra));
    }

    @Test
    void complaintsGoByCategoryBreachesByClockAndTheMonthIsTheOperatorsOne() throws Exception {
        List<Signal> bill = map.ticketSignals("TroubleTicketCreateEvent", ticket("billQuestion", "complaint", ""), ZONE);
        assertThat(bill).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo("complaint");
            assertThat(s.node()).isEqualTo("billing");
            assertThat(s.department()).isEqualTo("billing-centre");
            assertThat(s.period()).as("16:30 UTC on 30 November is 1 December in Shanghai").isEqualTo("2026-12");
        });
        assertThat(map.ticketSignals("TroubleTicketCreateEvent", ticket("somethingNew", "complaint", ""), ZONE))
                .extracting(Signal::node).containsExactly("complaintHandling");
        assertThat(map.ticketSignals("TroubleTicketCreateEvent", ticket(null, "faultRepair", ""), ZONE))
                .as("opening a fault report is no complaint").isEmpty();
        assertThat(map.ticketSignals("TroubleTicketStatusChangeEvent", ticket("billQuestion", "complaint", ""), ZONE)).isEmpty();

        String resolution = ",\"slaStage\":{\"action\":\"breach\",\"clock\":{\"metric\":\"resolution\",\"breachedAt\":\"2026-11-20T01:00:00Z\"}}";
        assertThat(map.ticketSignals("TroubleTicketSlaBreachEvent", ticket(null, "faultRepair", resolution), ZONE))
                .singleElement().satisfies(s -> {
                    assertThat(s.node()).isEqualTo("repair");
                    assertThat(s.department()).isEqualTo("field-maintenance");
                    assertThat(s.period()).isEqualTo("2026-11");
                });
        String firstResponse = resolution.replace("resolution", "firstResponse");
        assertThat(map.ticketSignals("TroubleTicketSlaBreachEvent", ticket(null, "complaint", firstResponse), ZONE))
                .extracting(Signal::node).containsExactly("intake");
        assertThatThrownBy(() -> map.ticketSignals("TroubleTicketCreateEvent",
                JSON.readTree("{\"event\":{\"troubleTicket\":{\"ticketType\":\"complaint\"}}}"), ZONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSurveyAnswerCountsOncePerNodeItTouchesAndLowWhereAnyQuestionWasLow() throws Exception {
        JsonNode answer = JSON.readTree("""
                {"ticketId":"TT-2","serviceType":"faultRepair","answeredAt":"2026-11-10T02:00:00Z","answers":[
                 {"questionId":"csat","score":2},{"questionId":"engineer","score":1,"choice":"专业","dimension":"experience"},{"questionId":"punctuality","score":5},
                 {"questionId":"fcr","score":0},{"questionId":"comment","text":"late"},{"questionId":"unknown","score":1}]}
                """);
        List<Signal> signals = map.surveySignals("SurveyResponseReceived", answer, ZONE);
        assertThat(signals).extracting(s -> s.kind() + "@" + s.node()).containsExactlyInAnyOrder(
                "surveyed@repair", "lowScore@repair", "surveyed@dispatch", "surveyed@intake", "lowScore@intake");
        assertThat(map.surveySignals("SurveyInvitationSent", answer, ZONE)).isEmpty();
        // A choice is not a score: the engineer's best side, "professional", is option 1 and not a low mark.
        JsonNode choiceOnly = JSON.readTree("""
                {"ticketId":"TT-3","serviceType":"faultRepair","answeredAt":"2026-11-10T02:00:00Z","answers":[
                 {"questionId":"engineer","score":1,"choice":"专业","dimension":"experience"}]}
                """);
        assertThat(map.surveySignals("SurveyResponseReceived", choiceOnly, ZONE)).isEmpty();
        assertThatThrownBy(() -> map.surveySignals("SurveyResponseReceived", JSON.readTree("{\"ticketId\":\"T\"}"), ZONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMapThatWouldLoseSignalsIsRefusedAtStart() throws Exception {
        String shipped = new String(PainPointMap.class.getResourceAsStream("/pain-point-map.json").readAllBytes());
        for (String broken : List.of(shipped.replace("\"*\": \"complaintHandling\"", "\"other\": \"complaintHandling\""),
                shipped.replace("\"punctuality\":  {\"lowAtMost\": 2, \"node\": {\"*\": \"dispatch\"}}",
                        "\"punctuality\": {\"lowAtMost\": 2, \"node\": {\"*\": \"workshop\"}}"),
                shipped.replace("\"department\": \"billing-centre\"", "\"department\": \"Billing Centre!\""),
                shipped.replace("\"version\": \"2026.11-1\"", "\"version\": \"\""))) {
            assertThat(broken).isNotEqualTo(shipped);
            Path file = Files.createTempFile("pain-point-map", ".json");
            Files.writeString(file, broken);
            assertThatThrownBy(() -> PainPointMap.load(file.toString())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void improvedMeansFewerLowAnswersAmongTheReSurveysAndNoMoreComplaintsOrBreaches() {
        assertThat(PainPoints.result(new Measures(0, 2, 2, 4), new Measures(0, 1, 0, 4))).isEqualTo("improved");
        assertThat(PainPoints.result(new Measures(0, 2, 2, 4), new Measures(0, 3, 0, 4))).as("more breaches").isEqualTo("notImproved");
        assertThat(PainPoints.result(new Measures(0, 0, 1, 4), new Measures(0, 0, 2, 8))).as("same rate").isEqualTo("notImproved");
        assertThat(PainPoints.result(new Measures(5, 0, 0, 0), new Measures(2, 0, 0, 0))).as("no surveys: fewer complaints")
                .isEqualTo("improved");
        assertThat(PainPoints.result(new Measures(5, 0, 0, 0), new Measures(0, 0, 0, 0))).isEqualTo("insufficientData");
    }
}
