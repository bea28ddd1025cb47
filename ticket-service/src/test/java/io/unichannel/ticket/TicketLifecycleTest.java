package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Work orders end to end inside ticket-service, on the real broker, database and Keycloak: intake
 * from channel-requests, the staff API, and every change published to ticket-events through the
 * outbox and its relay.
 */
@QuarkusTest
class TicketLifecycleTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String agentToken;
    private static String customerToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz-tianhe"));
        customerToken = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
    }

    @Test
    void aRedeliveredChannelRequestMakesOneTicketAndOneCreateEvent() throws Exception {
        UUID requestId = UUID.randomUUID();
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(requestId, customer, "faultRepair"));
        KafkaTestSupport.send(ChannelRequests.submitted(requestId, customer, "faultRepair"));

        String ticketId = Tickets.awaitTicketOf(agentToken, customer);
        List<ConsumerRecord<String, String>> events = Tickets.eventsOf(ticketId, 2, Duration.ofSeconds(5));

        assertThat(events).hasSize(1);
        CloudEvent created = EventSchemaAssert.assertValidEvent(events.get(0));
        assertThat(created.type()).isEqualTo("TroubleTicketCreateEvent");
        JsonNode body = JSON.readTree(created.data());
        assertThat(body.get("correlationId").asText()).isEqualTo(requestId.toString());
        assertThat(body.at("/event/troubleTicket/status").asText()).isEqualTo("acknowledged");
        assertThat(body.at("/event/troubleTicket/relatedParty/0/partyOrPartyRole/id").asText()).isEqualTo(customer);
        given().auth().oauth2(agentToken).queryParam("relatedParty.id", customer).when().get(TICKETS)
                .then().statusCode(200).header("X-Total-Count", "1");
    }

    @Test
    void staffMoveATicketThroughItsLifecycleAndEveryStepIsPublished() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "complaint"));
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);

        Tickets.patch(agentToken, ticketId, "{\"status\":\"inProgress\",\"relatedParty\":[{\"id\":\"agent-li\",\"role\":\"assignee\"}]}")
                .statusCode(200).body("status", equalTo("inProgress"))
                .body("relatedParty.role", hasItem("assignee"));
        Tickets.patch(agentToken, ticketId, "{\"note\":[{\"text\":\"Called the customer back\"}]}").statusCode(200);
        Tickets.patch(agentToken, ticketId, "{\"status\":\"resolved\",\"statusChangeReason\":\"Bill corrected\"}").statusCode(200)
                .body("resolutionDate", org.hamcrest.Matchers.notNullValue());
        Tickets.patch(agentToken, ticketId, "{\"status\":\"closed\",\"statusChangeReason\":\"Customer confirmed\"}").statusCode(200);

        List<ConsumerRecord<String, String>> events = Tickets.eventsOf(ticketId, 5, Duration.ofSeconds(15));
        assertThat(events).hasSize(5).allSatisfy(r -> assertThat(r.key()).isEqualTo(ticketId));
        List<String> types = events.stream().map(EventSchemaAssert::assertValidEvent).map(CloudEvent::type).toList();
        assertThat(types).containsExactly("TroubleTicketCreateEvent", "TroubleTicketStatusChangeEvent",
                "TroubleTicketAttributeValueChangeEvent", "TroubleTicketResolvedEvent", "TroubleTicketStatusChangeEvent");
        List<Integer> sequences = events.stream().map(r -> readTree(r.value()).get("sequence").asInt()).toList();
        assertThat(sequences).containsExactly(1, 2, 3, 4, 5);

        given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId).then().statusCode(200)
                .body("status", equalTo("closed"))
                .body("statusChangeHistory.status", equalTo(List.of("acknowledged", "inProgress", "resolved", "closed")))
                .body("note[0].text", equalTo("Called the customer back"));
    }

    @Test
    void anIllegalTransitionIsAConflictAndChangesNothing() {
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "consultation"));
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);

        Tickets.patch(agentToken, ticketId, "{\"status\":\"closed\"}").statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:unichannel:problem:conflict"))
                .body("currentStatus", equalTo("acknowledged"))
                .body("requestedStatus", equalTo("closed"));

        given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId).then()
                .body("status", equalTo("acknowledged"));
        assertThat(Tickets.eventsOf(ticketId, 2, Duration.ofSeconds(3))).hasSize(1);
    }

    @Test
    void aTicketNotToBeWorkedIsRejectedWithItsReasonAndItsClocksStop() {
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "consultation"));
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);

        Tickets.patch(agentToken, ticketId, "{\"status\":\"rejected\"}").statusCode(400)
                .body("errors.field", hasItem("statusChangeReason"));
        Tickets.patch(agentToken, ticketId, "{\"status\":\"rejected\",\"statusChangeReason\":\"Duplicate of a ticket already open\"}")
                .statusCode(200).body("status", equalTo("rejected"));
        given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId).then()
                .body("status", equalTo("rejected"))
                .body("statusChangeHistory.status", org.hamcrest.Matchers.contains("acknowledged", "rejected"))
                .body("troubleTicketCharacteristic.find { it.name == 'slaClock' }.value.state", org.hamcrest.Matchers.everyItem(
                        equalTo("stopped")))
                .body("troubleTicketCharacteristic.find { it.name == 'slaClock' }.value.outcome", org.hamcrest.Matchers.everyItem(
                        equalTo("rejected")));
        Tickets.patch(agentToken, ticketId, "{\"status\":\"inProgress\"}").statusCode(409);
        List<ConsumerRecord<String, String>> events = Tickets.eventsOf(ticketId, 2, Duration.ofSeconds(10));
        assertThat(events).hasSize(2);
        assertThat(events.get(1).value()).contains("TroubleTicketStatusChangeEvent").contains("Duplicate of a ticket already open");
    }

    @Test
    void badPatchesAreProblemsAndChangeNothing() {
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "consultation"));
        String ticketId = Tickets.awaitTicketOf(agentToken, customer);

        Tickets.patch(agentToken, ticketId, "{\"status\":\"open\"}").statusCode(400).contentType("application/problem+json");
        Tickets.patch(agentToken, ticketId, "{\"status\":").statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:unichannel:problem:malformed-body"));
        Tickets.patch(agentToken, ticketId, "{\"priority\":\"whenever\"}").statusCode(400)
                .body("errors.field", hasItem("priority"));
        Tickets.patch(agentToken, ticketId, "{}").statusCode(400);
        Tickets.patch(agentToken, "TT-00000000-NOSUCHTICKET", "{\"status\":\"inProgress\"}").statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(customerToken).contentType(ContentType.JSON).body("{\"status\":\"inProgress\"}")
                .when().patch(TICKETS + "/" + ticketId).then().statusCode(403)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"status\":\"inProgress\"}")
                .when().patch(TICKETS + "/" + ticketId).then().statusCode(401);

        given().auth().oauth2(agentToken).when().get(TICKETS + "/" + ticketId).then()
                .body("status", equalTo("acknowledged")).body("priority", equalTo("high"));
        assertThat(Tickets.eventsOf(ticketId, 2, Duration.ofSeconds(3))).hasSize(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndIntakeGoesOn() {
        String poisonKey = UUID.randomUUID().toString();
        KafkaTestSupport.send(ChannelRequests.record(poisonKey, "{not json"));
        String unknownTypeKey = UUID.randomUUID().toString();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.fromString(unknownTypeKey), "C-x", "haircut"));
        // A time without seconds (not RFC 3339) once stopped the connector's own CloudEvents parsing.
        String lenientCustomer = "C-" + UUID.randomUUID();
        var noSeconds = ChannelRequests.submitted(UUID.randomUUID(), lenientCustomer, "faultRepair");
        noSeconds.headers().remove(CloudEventRecords.TIME).add(CloudEventRecords.TIME, "2026-11-22T18:26Z".getBytes());
        KafkaTestSupport.send(noSeconds);
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "faultRepair"));

        Tickets.awaitTicketOf(agentToken, customer);
        Tickets.awaitTicketOf(agentToken, lenientCustomer);
        List<ConsumerRecord<String, String>> letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS,
                r -> poisonKey.equals(r.key()) || unknownTypeKey.equals(r.key()), 2, Duration.ofSeconds(10));
        assertThat(letters).hasSize(2);
        letters.forEach(EventSchemaAssert::assertValidEvent);
        assertThat(letters).extracting(r -> readTree(r.value()).get("reason").asText())
                .anyMatch(reason -> reason.contains("not a ChannelRequestSubmitted"))
                .anyMatch(reason -> reason.contains("unknown requestType haircut"));
    }

    private static JsonNode readTree(String json) {
        return Tickets.tree(json);
    }

}
