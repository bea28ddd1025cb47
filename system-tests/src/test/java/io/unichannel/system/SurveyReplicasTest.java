package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two survey-service replicas share the resolutions: every surveyed ticket gets exactly one
 * invitation on notifications (the timer's rows are claimed once), and a person resolved twice at
 * the same moment, the two resolutions on different partitions and so possibly on different
 * replicas, is invited once (the contact rules decide under the person's lock).
 */
class SurveyReplicasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoReplicasInviteEachTicketOnceAndEachPersonOnce() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = ScaleDeployment.surveySettings("replicas");
        try (ServiceProcess first = ServiceProcess.of("survey-service", settings);
                ServiceProcess second = ServiceProcess.of("survey-service", settings)) {
            ServiceProcess.startAll(List.of(first, second));
            int people = 40;
            List<String> tickets = new ArrayList<>();
            for (int n = 0; n < people; n++) {
                String customer = "C-rep-" + run + "-" + n;
                // Every fourth person has two requests resolved at once.
                int requests = n % 4 == 0 ? 2 : 1;
                for (int r = 0; r < requests; r++) {
                    String ticket = "TT-REP-" + run + "-" + n + "-" + r;
                    tickets.add(ticket);
                    resolved(ticket, customer);
                }
            }
            String prefix = "TT-REP-" + run + "-";
            java.util.function.Predicate<ConsumerRecord<String, String>> ours =
                    rec -> rec.value() != null && rec.value().contains("\"relatedTicketId\":\"" + prefix);
            // Every person's invitation, then a few seconds more for any second one a replica might send.
            KafkaTestSupport.readMatching(Topics.NOTIFICATIONS, ours, people, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> invitations = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS, ours,
                    people + 1, Duration.ofSeconds(4));
            Map<String, Integer> perTicket = new HashMap<>();
            Map<String, Integer> perPerson = new HashMap<>();
            for (ConsumerRecord<String, String> rec : invitations) {
                var data = JSON.readTree(rec.value());
                perTicket.merge(data.path("relatedTicketId").asText(), 1, Integer::sum);
                perPerson.merge(data.path("customerId").asText(), 1, Integer::sum);
            }
            assertThat(perPerson).as("one invitation per person").hasSize(people).allSatisfy((person, count) ->
                    assertThat(count).as(person).isEqualTo(1));
            assertThat(perTicket.values()).as("no ticket invited twice").allMatch(count -> count == 1);
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                    + System.getenv().getOrDefault("DB_PORT", "15432") + "/survey_scale", "postgres", "postgres")) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(db, "SELECT count(*) FROM survey_invitation "
                        + "WHERE ticket_id LIKE '" + prefix + "%' AND status = 'suppressed' AND suppressed_reason IN ('frequency', 'minGap')")
                        == tickets.size() - people);
            }
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void resolved(String ticketId, String customerId) throws Exception {
        Map<String, Object> ticket = Map.of("id", ticketId, "ticketType", "complaint", "status", "resolved",
                "channel", Map.of("name", "web"),
                "relatedParty", List.of(Map.of("id", customerId, "role", "customer", "@referredType", "Customer")),
                "region", "gz-tianhe", "resolutionDate", OffsetDateTime.now(ZoneOffset.UTC).toString());
        String data = JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(),
                "eventType", EventTypes.TROUBLE_TICKET_RESOLVED, "event", Map.of("troubleTicket", ticket)));
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, ticketId,
                CloudEvent.of(Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_RESOLVED, ticketId, data)));
    }
}
