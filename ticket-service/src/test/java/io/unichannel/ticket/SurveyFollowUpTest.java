package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.events.CloudEvent;
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
 * A detractor's survey answer (SurveyFollowUpRequested from survey-service) opens one follow-up
 * ticket, linked to the ticket it follows up, with the survey's invitation as external identifier
 * and a first-response clock of 48 hours; a redelivery opens no second one; a malformed request is
 * dead-lettered.
 */
@QuarkusTest
class SurveyFollowUpTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDetractorsAnswerOpensOneLinkedFollowUpToActOnWithin48Hours() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String customer = "C-" + UUID.randomUUID();
        String invitation = UUID.randomUUID().toString();
        String original = "TT-20261130-" + (100000 + new java.util.Random().nextInt(800000));
        String data = JSON.writeValueAsString(Map.of("invitationId", invitation, "ticketId", original, "customerId", customer,
                "channel", "app", "serviceType", "complaint", "region", "gz-tianhe", "reason", "detractor",
                "comment", "Still charged twice", "actBy", "2026-12-02T08:00:00Z", "requestedAt", "2026-11-30T08:00:00Z"));
        EventSchemaAssert.assertValidPayload(EventTypes.SURVEY_FOLLOW_UP_REQUESTED, data);
        var record = CloudEventRecords.toRecord(Topics.SURVEY_EVENTS, invitation,
                CloudEvent.of(Topics.SURVEY_SERVICE, EventTypes.SURVEY_FOLLOW_UP_REQUESTED, invitation, data));
        KafkaTestSupport.send(record);
        KafkaTestSupport.send(record);

        JsonPath found = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().auth().oauth2(ops).queryParam("relatedParty.id", customer).get(TICKETS)
                        .then().statusCode(200).extract().jsonPath(), p -> p.getList("$").size() == 1);
        given().auth().oauth2(ops).queryParam("relatedParty.id", customer).get(TICKETS).then().statusCode(200);
        String id = found.getString("[0].id");
        JsonPath ticket = given().auth().oauth2(ops).get(TICKETS + "/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(ticket.getString("ticketType")).isEqualTo("complaint");
        assertThat(ticket.getString("description")).contains(original).contains("Still charged twice");
        assertThat(ticket.getString("troubleTicketRelationship[0].id")).isEqualTo(original);
        assertThat(ticket.getString("troubleTicketRelationship[0].relationshipType")).isEqualTo("isFollowUpOf");
        assertThat(ticket.getList("externalIdentifier.externalIdentifierType")).contains("surveyFollowUp");
        assertThat(ticket.getString("externalIdentifier.find { it.externalIdentifierType == 'surveyFollowUp' }.id"))
                .isEqualTo(invitation);
        List<Map<String, Object>> clocks = ticket.getList("troubleTicketCharacteristic.find { it.name == 'slaClock' }.value");
        Map<String, Object> firstResponse = clocks.stream().filter(c -> "firstResponse".equals(c.get("metric"))).findFirst().orElseThrow();
        assertThat(Duration.between(OffsetDateTime.parse(ticket.getString("creationDate")),
                OffsetDateTime.parse((String) firstResponse.get("dueAt")))).isEqualTo(Duration.ofHours(48));

        List<ConsumerRecord<String, String>> created = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> id.equals(r.key()), 1, Duration.ofSeconds(10));
        assertThat(EventSchemaAssert.assertValidEvent(created.get(0)).data()).contains("isFollowUpOf");
        Thread.sleep(1500);
        assertThat(given().auth().oauth2(ops).queryParam("relatedParty.id", customer).get(TICKETS).then().extract().jsonPath()
                .getList("$")).as("a redelivered request opens no second follow-up").hasSize(1);
    }

    @Test
    void hostileFollowUpRequestsAreDeadLetteredAndAGoodOneStillOpensATicket() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        long seed = System.nanoTime();
        String template = JSON.writeValueAsString(Map.of("invitationId", UUID.randomUUID().toString(), "ticketId", "TT-1",
                "customerId", "C-" + UUID.randomUUID(), "channel", "app", "reason", "detractor", "comment", "x",
                "actBy", "2026-12-02T08:00:00Z", "requestedAt", "2026-11-30T08:00:00Z"));
        java.util.Set<String> broken = new java.util.HashSet<>();
        for (var v : io.unichannel.common.testing.HostilePayloads.of(template,
                List.of("invitationId", "ticketId", "customerId", "channel", "reason", "comment", "requestedAt"), 60, seed)) {
            String key = UUID.randomUUID().toString();
            if (!v.description().contains("attack") && !v.description().startsWith("without")) {
                broken.add(key);
            }
            KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.SURVEY_EVENTS, key,
                    CloudEvent.of(Topics.SURVEY_SERVICE, EventTypes.SURVEY_FOLLOW_UP_REQUESTED, key, v.payload())));
        }
        String customer = "C-" + UUID.randomUUID();
        String invitation = UUID.randomUUID().toString();
        String good = JSON.writeValueAsString(Map.of("invitationId", invitation, "ticketId", "TT-20261130-000001",
                "customerId", customer, "channel", "sms", "reason", "notSolved", "actBy", "2026-12-02T08:00:00Z",
                "requestedAt", "2026-11-30T08:00:00Z"));
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.SURVEY_EVENTS, invitation,
                CloudEvent.of(Topics.SURVEY_SERVICE, EventTypes.SURVEY_FOLLOW_UP_REQUESTED, invitation, good)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().auth().oauth2(ops).queryParam("relatedParty.id", customer).get(TICKETS)
                        .then().statusCode(200).extract().jsonPath().getList("$").size() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            java.util.Set<String> lettered = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> broken.contains(r.key()),
                    broken.size(), Duration.ofMillis(500)).stream().peek(letter -> assertThat(letter.value())
                            .contains("\"consumer\":\"ticket-service\"").contains("follow-up"))
                    .map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet());
            assertThat(lettered).as("seed %d", seed).containsAll(broken);
        });
    }
}
