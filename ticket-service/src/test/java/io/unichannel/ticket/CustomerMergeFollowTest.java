package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.IdentityEventRecords;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** When identity-service merges customer B into A, A's ticket history includes B's. */
@QuarkusTest
class CustomerMergeFollowTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static String agentToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz-tianhe"));
    }

    @Test
    void theSurvivorTakesOverTheMergedCustomersTicketsOnceEvenIfTheMergeIsRedelivered() {
        String a = "C-" + UUID.randomUUID();
        String b = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), a, "complaint"));
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), b, "faultRepair"));
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), b, "consultation"));
        awaitCount(a, 1);
        awaitCount(b, 2);
        List<String> bTickets = given().auth().oauth2(agentToken).queryParam("relatedParty.id", b).get(TICKETS)
                .then().statusCode(200).extract().path("id");

        var merge = IdentityEventRecords.customersMerged(a, b);
        KafkaTestSupport.send(merge);
        KafkaTestSupport.send(merge); // at-least-once delivery: the same event again
        awaitCount(a, 3);
        awaitCount(b, 0);
        given().auth().oauth2(agentToken).queryParam("relatedParty.id", a).get(TICKETS).then().statusCode(200)
                .body("id", hasItems(bTickets.toArray()));

        // Each moved ticket reports the change once, to every channel following it.
        for (String ticketId : bTickets) {
            List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                    r -> ticketId.equals(r.key()), 3, Duration.ofSeconds(3));
            assertThat(events).hasSize(2);
            CloudEvent moved = EventSchemaAssert.assertValidEvent(events.get(1));
            assertThat(moved.type()).isEqualTo("TroubleTicketAttributeValueChangeEvent");
            assertThat(moved.data()).contains(a).doesNotContain("\"id\":\"" + b + "\"");
        }

        // A request made with the retired id (a token issued before the merge) opens a ticket for the survivor.
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), b, "consultation"));
        awaitCount(a, 4);
        awaitCount(b, 0);
    }

    /**
     * Generated hostile merges (control characters, invalid Unicode, over-long ids, wrong types,
     * missing ids, broken documents) are set aside with a reason; a good merge after them is
     * still followed within seconds.
     */
    @Test
    void hostileMergesAreDeadLetteredAndAGoodOneIsStillFollowed() {
        long seed = System.nanoTime();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (var variant : io.unichannel.common.testing.HostilePayloads.of(
                "{\"survivorId\":\"C-a\",\"mergedId\":\"C-b\"}", List.of("survivorId", "mergedId"), 30, seed)) {
            String key = "fuzz-" + UUID.randomUUID();
            keys.add(key);
            KafkaTestSupport.send(IdentityEventRecords.customersMergedRaw(key, variant.payload()));
        }
        String a = "C-" + UUID.randomUUID();
        String b = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), b, "complaint"));
        awaitCount(b, 1);
        KafkaTestSupport.send(IdentityEventRecords.customersMerged(a, b));
        awaitCount(a, 1);

        List<ConsumerRecord<String, String>> letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS,
                r -> keys.contains(r.key()) && r.value().contains("\"consumer\":\"ticket-service\""), keys.size(),
                Duration.ofSeconds(10));
        // Variants that stay two valid, different ids are real merges of unknown customers: harmless.
        assertThat(letters.size()).as("seed %d", seed).isGreaterThan(keys.size() / 2);
        letters.forEach(EventSchemaAssert::assertValidEvent);
    }

    private static void awaitCount(String customer, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(agentToken)
                .queryParam("relatedParty.id", customer).get(TICKETS).then().statusCode(200)
                .header("X-Total-Count", String.valueOf(count)));
    }
}
