package io.unichannel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Notifications that can never be delivered are not skipped in silence: each goes to dead-letters
 * once, with the reason, from the consumer whose notice it is (a survey invitation without its
 * invitation, a care reminder without its offer, a record that is no notification at all).
 */
@QuarkusTest
class NotificationPoisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void notificationsThatCanNeverBeDeliveredAreDeadLetteredOnceWithTheirReason() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String survey = "poison-survey-" + UUID.randomUUID();
        send(Topics.SURVEY_SERVICE, survey, JSON.writeValueAsString(Map.of("notificationId", "survey:" + UUID.randomUUID(),
                "customerId", "C-" + UUID.randomUUID(), "channel", "sms", "template", "survey-invitation",
                "parameters", Map.of("title", "满意度调查", "link", "http://127.0.0.1:8183/survey/x"),
                "requestedAt", now.toString(), "expiresAt", now.plusDays(3).toString())));
        String care = "poison-care-" + UUID.randomUUID();
        send(Topics.TICKET_SERVICE, care, JSON.writeValueAsString(Map.of("notificationId", "care:" + UUID.randomUUID(),
                "customerId", "C-" + UUID.randomUUID(), "channel", "app", "template", "care-renewal",
                "parameters", Map.of("offerId", "not-an-offer", "message", "合约即将到期"),
                "requestedAt", now.toString(), "expiresAt", now.plusDays(7).toString())));
        String garbage = "poison-envelope-" + UUID.randomUUID();
        send(Topics.IDENTITY_SERVICE, garbage, "{\"notificationId\": ");

        assertThat(letter(survey)).contains("not a deliverable survey invitation");
        assertThat(letter(care)).contains("not a deliverable care reminder");
        assertThat(letter(garbage)).contains("not a deliverable notification");
        // Read by three consumer groups, lettered by one: the record is no notice of any of them.
        assertThat(KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> garbage.equals(r.key()), 2, Duration.ofSeconds(5)))
                .hasSize(1);
    }

    private static void send(String source, String key, String data) {
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.NOTIFICATIONS, key,
                CloudEvent.of(source, EventTypes.NOTIFICATION_REQUESTED, key, data)));
    }

    private static String letter(String key) {
        List<ConsumerRecord<String, String>> letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS,
                r -> key.equals(r.key()) && r.value().contains("\"consumer\":\"channel-gateway\""), 1, Duration.ofSeconds(30));
        assertThat(letters).as("a dead letter for %s", key).hasSize(1);
        return letters.get(0).value();
    }
}
