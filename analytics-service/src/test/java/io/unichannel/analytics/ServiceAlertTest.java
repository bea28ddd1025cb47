package io.unichannel.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Early warning: a spike of complaints in one region raises a ServiceAlert within seconds, seen by
 * ops and the region's supervisor (not another region's); when the rate recovers below the clear
 * threshold the alert clears itself. A complaint the same person makes again on another channel
 * counts as a repeat.
 */
@QuarkusTest
class ServiceAlertTest {

    @Test
    void aComplaintSpikeRaisesAnAlertThatClearsAfterRecovery() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String region = "al-" + run;
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", region));
        String otherSupervisor = KeycloakTestSupport.passwordToken("staff-console",
                KeycloakTestSupport.createStaff("supervisor", "elsewhere-" + run));
        // 12 complaints in a minute: rate 1.0 over the rule's 0.5, on more than its minimum of 10.
        for (int i = 0; i < 12; i++) {
            open(region, "TT-" + run + "-c" + i, "complaint", "C-" + run + "-" + i, i % 2 == 0 ? "app" : "wechat");
        }
        Instant spikeAt = Instant.now();
        List<ConsumerRecord<String, String>> raised = KafkaTestSupport.readMatching(Topics.SERVICE_ALERTS,
                r -> r.value() != null && r.value().contains(region)
                        && EventTypes.SERVICE_ALERT_RAISED.equals(CloudEventRecords.text(r.headers(), CloudEventRecords.TYPE)),
                1, Duration.ofSeconds(20));
        assertThat(raised).as("an alert for the spike").hasSize(1);
        System.out.printf("Complaint-rate alert raised %d ms after the spike%n", Duration.between(spikeAt, Instant.now()).toMillis());
        EventSchemaAssert.assertValidEvent(raised.get(0));
        JsonNode alert = AnalyticsEvents.JSON.readTree(raised.get(0).value());
        assertThat(alert.path("ruleId").asText()).isEqualTo("complaint-rate-by-region");
        assertThat(alert.path("value").asDouble()).isEqualTo(1.0);
        assertThat(alert.path("notify").toString()).contains("supervisors:" + region);
        String alertId = alert.path("alertId").asText();
        // The live sums are Prometheus gauges too (this replica's part; the test runs one).
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "analytics_kpi_live\\{kpi=\"complaintRate\",part=\"numerator\"[^}]*} ([0-9.E+]+)").matcher(metrics);
            assertThat(m.find()).as("complaint-rate gauge").isTrue();
            assertThat(Double.parseDouble(m.group(1))).isGreaterThanOrEqualTo(12);
        });
        given().auth().oauth2(ops).get("/api/v1/alerts").then().statusCode(200).body("alertId", hasItem(alertId));
        given().auth().oauth2(supervisor).get("/api/v1/alerts").then().statusCode(200).body("alertId", hasItem(alertId));
        given().auth().oauth2(otherSupervisor).get("/api/v1/alerts").then().statusCode(200).body("alertId", not(hasItem(alertId)));
        given().auth().oauth2(otherSupervisor).queryParam("region", region).get("/api/v1/kpis").then().statusCode(403);

        // Recovery: 30 other requests bring the rate to 12/42 = 0.29, under the clear threshold 0.3.
        for (int i = 0; i < 30; i++) {
            open(region, "TT-" + run + "-q" + i, "consultation", "C-" + run + "-q" + i, "web");
        }
        List<ConsumerRecord<String, String>> cleared = KafkaTestSupport.readMatching(Topics.SERVICE_ALERTS,
                r -> r.value() != null && r.value().contains(alertId)
                        && EventTypes.SERVICE_ALERT_CLEARED.equals(CloudEventRecords.text(r.headers(), CloudEventRecords.TYPE)),
                1, Duration.ofSeconds(20));
        assertThat(cleared).as("the alert clears").hasSize(1);
        EventSchemaAssert.assertValidEvent(cleared.get(0));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().auth().oauth2(ops).get("/api/v1/alerts")
                .then().statusCode(200).body("alertId", not(hasItem(alertId))));
        // Raised once, cleared once.
        assertThat(KafkaTestSupport.readMatching(Topics.SERVICE_ALERTS, r -> r.value() != null && r.value().contains(region),
                10, Duration.ofSeconds(3))).hasSize(2);
    }

    @Test
    void aRepeatComplaintOnAnotherChannelBySamePersonCountsAsARepeat() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String region = "rp-" + run;
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String person = "C-" + run;
        open(region, "TT-" + run + "-1", "complaint", person, "app");
        open(region, "TT-" + run + "-2", "complaint", person, "hotline");
        open(region, "TT-" + run + "-3", "complaint", "C-other-" + run, "wechat");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            List<Map<String, Object>> rows = given().auth().oauth2(ops).queryParam("kpi", "repeatComplaintRate")
                    .queryParam("region", region).queryParam("groupBy", "channel").get("/api/v1/kpis").then().statusCode(200)
                    .extract().jsonPath().getList("rows");
            Map<String, long[]> byChannel = new java.util.HashMap<>();
            for (Map<String, Object> row : rows) {
                @SuppressWarnings("unchecked")
                String channel = ((Map<String, String>) row.get("dimensions")).get("channel");
                byChannel.put(channel, new long[] {((Number) row.get("numerator")).longValue(),
                        ((Number) row.get("denominator")).longValue()});
            }
            assertThat(byChannel.get("hotline")).as("the second complaint, on the hotline").containsExactly(1, 1);
            assertThat(byChannel.get("app")).as("the first").containsExactly(0, 1);
            assertThat(byChannel.get("wechat")).as("another person's").containsExactly(0, 1);
        });
    }

    private static void open(String region, String id, String type, String customer, String channel) {
        Instant now = Instant.now();
        AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_CREATE, id, 1, type, channel, region, customer, null, now,
                new ArrayList<>(List.of(AnalyticsEvents.status("acknowledged", now))), null, null);
    }
}
