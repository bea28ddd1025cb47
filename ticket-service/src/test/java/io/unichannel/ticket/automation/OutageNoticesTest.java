package io.unichannel.ticket.automation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proactive outage notices (主动告知), driven as the OSS drives them: the simulator reports an area
 * outage to ticket-service with its signed event, and every customer whose line is in the area
 * gets one notice on their preferred channel; when it clears, the same customers are told it is
 * over. Repeated reports, an OSS that does not answer for a while and forged calls tell nobody twice
 * and nobody wrongly.
 */
@QuarkusTest
@QuarkusTestResource(BssSimulatorResource.class)
class OutageNoticesTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "local-only-oss-events-secret";

    @TestHTTPResource("/api/v1/oss/events")
    URL events;

    @BeforeEach
    void pointTheOssAtThisService() throws Exception {
        sim("PUT", "/sim/outage-events", JSON.writeValueAsString(Map.of("url", events.toString(), "secret", SECRET)), 200);
    }

    /** Customers of a fresh area of this test, as the OSS knows them. */
    private static List<String> customersIn(String area, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "OT-" + UUID.randomUUID().toString().substring(0, 12);
            Map<String, Object> account = Map.of("msisdn", "1390000" + String.format("%04d", i), "packageId", "B-300",
                    "contractEndDate", LocalDate.now().plusMonths(6).toString(), "contractLocked", false,
                    "balanceCents", 5000, "preferredChannel", "wechat",
                    "bill", Map.of("period", "2026-11", "totalCents", 9900, "items", List.of()),
                    "line", Map.of("lineId", "L-" + id, "technology", "FTTH", "area", area, "ontRxPowerDbm", -19.0,
                            "alarms", List.of(), "cpeConfigOk", true, "faultsLast90Days", 0));
            sim("PUT", "/sim/accounts/" + id, JSON.writeValueAsString(account), 200);
            ids.add(id);
        }
        return ids;
    }

    private static String sim(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BssSimulatorResource.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return response.body();
    }

    /** The notices of this outage and phase on the notifications topic, as channel-gateway reads them. */
    private static List<JsonNode> notices(String outageId, String template, int atLeast, Duration within) throws Exception {
        List<ConsumerRecord<String, String>> records = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> r.value().contains(outageId) && r.value().contains(template), atLeast, within);
        List<JsonNode> notices = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            CloudEvent event = EventSchemaAssert.assertValidEvent(record);
            JsonNode data = JSON.readTree(event.data());
            if (template.equals(data.path("template").asText()) && outageId.equals(data.at("/parameters/outageId").asText())) {
                notices.add(data);
            }
        }
        return notices;
    }

    private static Set<String> customers(List<JsonNode> notices) {
        Set<String> ids = new TreeSet<>();
        notices.forEach(n -> ids.add(n.path("customerId").asText()));
        return ids;
    }

    @Test
    void everyCustomerOfTheAreaIsToldOnceWhenTheOutageOpensAndAgainWhenItClears() throws Exception {
        String area = "T-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> affected = customersIn(area, 3);
        String elsewhere = customersIn("T-" + UUID.randomUUID().toString().substring(0, 8), 1).get(0);
        String outageId = "OUT-" + UUID.randomUUID().toString().substring(0, 8);
        String restore = Instant.now().plus(Duration.ofHours(3)).toString();
        String outage = JSON.writeValueAsString(Map.of("area", area, "cause", "主干光缆被挖断，正在抢修",
                "since", Instant.now().toString(), "expectedRestore", restore));
        sim("PUT", "/sim/outages/" + outageId, outage, 200);

        List<JsonNode> opened = notices(outageId, "outage-opened", 3, Duration.ofSeconds(30));
        assertThat(customers(opened)).containsExactlyInAnyOrderElementsOf(affected).doesNotContain(elsewhere);
        assertThat(opened).hasSize(3);
        JsonNode first = opened.get(0);
        assertThat(first.path("channel").asText()).isEqualTo("preferred");
        assertThat(first.at("/parameters/cause").asText()).isEqualTo("主干光缆被挖断，正在抢修");
        assertThat(first.at("/parameters/restoreText").asText()).matches("\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}");
        assertThat(Instant.parse(first.path("expiresAt").asText())).isAfter(Instant.parse(restore));

        // The OSS repeats its report (its answer was lost): nobody is told twice.
        JsonNode repeated = JSON.readTree(report("OutageOpened", outageId, area, 202));
        assertThat(repeated.path("new").asBoolean()).isFalse();

        sim("DELETE", "/sim/outages/" + outageId, null, 200);
        List<JsonNode> cleared = notices(outageId, "outage-cleared", 3, Duration.ofSeconds(30));
        assertThat(customers(cleared)).containsExactlyInAnyOrderElementsOf(affected);
        Thread.sleep(2_000);
        assertThat(notices(outageId, "outage-opened", 4, Duration.ofSeconds(5))).as("told once of the outage").hasSize(3);
        assertThat(notices(outageId, "outage-cleared", 4, Duration.ofSeconds(5))).as("told once it is over").hasSize(3);
    }

    @Test
    void anOssThatDoesNotAnswerForAWhileDelaysTheNoticesAndLosesNone() throws Exception {
        String area = "T-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> affected = customersIn(area, 2);
        String outageId = "OUT-" + UUID.randomUUID().toString().substring(0, 8);
        // The next three OSS answers fail: the first listing of the area's customers fails through its retries.
        sim("PUT", "/sim/faults", "{\"failures\": 3}", 200);
        report("OutageOpened", outageId, area, 202);
        List<JsonNode> opened = notices(outageId, "outage-opened", 2, Duration.ofSeconds(40));
        assertThat(customers(opened)).containsExactlyInAnyOrderElementsOf(affected);
        assertThat(notices(outageId, "outage-opened", 3, Duration.ofSeconds(5))).as("each told once").hasSize(2);
    }

    @Test
    void callsNotSignedByTheOssAndReportsThatCannotBeReadTellNobody() throws Exception {
        String area = "T-" + UUID.randomUUID().toString().substring(0, 8);
        customersIn(area, 1);
        String outageId = "OUT-" + UUID.randomUUID().toString().substring(0, 8);
        String body = event("OutageOpened", outageId, area);
        String now = String.valueOf(Instant.now().getEpochSecond());
        String stale = String.valueOf(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        assertThat(post(body, now, WebhookSignature.sign("guessed", now, body))).isEqualTo(401);
        assertThat(post(body, stale, WebhookSignature.sign(SECRET, stale, body))).isEqualTo(401);
        assertThat(post(body, null, null)).isEqualTo(401);
        for (String bad : List.of("[]", "{\"eventType\": \"OutageOpened\"}", "not json",
                event("OutagePlanned", outageId, area), event("OutageOpened", "../../etc", area),
                event("OutageOpened", outageId, "x".repeat(65)))) {
            assertThat(post(bad, now, WebhookSignature.sign(SECRET, now, bad))).as(bad).isEqualTo(400);
        }
        assertThat(notices(outageId, "outage-opened", 1, Duration.ofSeconds(5))).as("nobody was told").isEmpty();
    }

    private static String event(String type, String outageId, String area) throws Exception {
        return JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(), "eventType", type,
                "eventTime", Instant.now().toString(), "outage", Map.of("id", outageId, "area", area,
                        "cause", "Fibre cut", "since", Instant.now().toString())));
    }

    private String report(String type, String outageId, String area, int expected) throws Exception {
        String body = event(type, outageId, area);
        String now = String.valueOf(Instant.now().getEpochSecond());
        var response = given().contentType("application/json").header("X-Oss-Timestamp", now)
                .header("X-Oss-Signature", WebhookSignature.sign(SECRET, now, body)).body(body).post(events.getPath());
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(expected);
        return response.asString();
    }

    private int post(String body, String timestamp, String signature) {
        var request = given().contentType("application/json").body(body);
        if (timestamp != null) {
            request = request.header("X-Oss-Timestamp", timestamp).header("X-Oss-Signature", signature);
        }
        return request.post(events.getPath()).statusCode();
    }
}
