package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.ValidatableResponse;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The ticket API and ticket-events as the tests use them. */
public final class Tickets {

    static final String PATH = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tickets() {
    }

    /** A merge-patch of a ticket by this member of staff. */
    public static ValidatableResponse patch(String staffToken, String ticketId, String body) {
        return given().auth().oauth2(staffToken).contentType("application/merge-patch+json").body(body)
                .when().patch(PATH + "/" + ticketId).then();
    }

    /** The id of the customer's first ticket, once intake has opened it. */
    static String awaitTicketOf(String staffToken, String customer) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
                () -> given().auth().oauth2(staffToken).queryParam("relatedParty.id", customer).when().get(PATH)
                        .then().statusCode(200).extract().jsonPath().<String>getList("id"),
                ids -> !ids.isEmpty()).get(0);
    }

    /** The ticket's events on ticket-events, in order. */
    static List<ConsumerRecord<String, String>> eventsOf(String ticketId, int atLeast, Duration wait) {
        return KafkaTestSupport.readMatching(Topics.TICKET_EVENTS, r -> ticketId.equals(r.key()), atLeast, wait)
                .stream().sorted(Comparator.comparingLong(ConsumerRecord::offset)).toList();
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
