package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Poison versus outage at intake: generated hostile channel requests (control characters, invalid
 * Unicode, over-long values, wrong types, missing fields, broken documents) each go to
 * dead-letters with a reason and open no ticket, and a good request sent after them still gets
 * its ticket within seconds. On the main of 2026-11-22 one such request stopped intake for good.
 */
@QuarkusTest
class ChannelRequestPoisonTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static String agentToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz-tianhe"));
    }

    @Test
    void hostileRequestsAreDeadLetteredAndAGoodOneStillOpensATicket() {
        long seed = System.nanoTime();
        String probeCustomer = "C-probe-" + UUID.randomUUID().toString().substring(0, 8);
        UUID template = UUID.randomUUID();
        List<HostilePayloads.Variant> variants = HostilePayloads.of(good(template, probeCustomer),
                List.of("requestId", "channel", "customerId", "subject", "requestType", "description", "category",
                        "severity", "region", "submittedAt"), 80, seed);
        // Each variant is its own request: a fresh id wherever the template's id is still in place.
        Map<String, HostilePayloads.Variant> byKey = new LinkedHashMap<>();
        Map<String, String> requestIdOf = new HashMap<>();
        for (HostilePayloads.Variant variant : variants) {
            String key = UUID.randomUUID().toString();
            String payload = variant.payload().replace(template.toString(), key);
            byKey.put(key, variant);
            requestIdOf.put(key, key);
            KafkaTestSupport.send(ChannelRequests.record(key, payload));
        }
        // Valid in shape but breaking what the database stores: the request that stopped intake on main.
        UUID longChannel = UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.record(longChannel.toString(), good(longChannel, probeCustomer)
                .replace("\"channel\":\"app\"", "\"channel\":\"" + "app".repeat(10) + "\"")));

        UUID goodId = UUID.randomUUID();
        String goodCustomer = "C-" + UUID.randomUUID();
        long sentAt = System.nanoTime();
        KafkaTestSupport.send(ChannelRequests.record(goodId.toString(), good(goodId, goodCustomer)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                "1".equals(given().auth().oauth2(agentToken).queryParam("relatedParty.id", goodCustomer).when()
                        .get(TICKETS).then().statusCode(200).extract().header("X-Total-Count")));
        System.out.printf("Good request after %d hostile ones got its ticket in %d ms (seed %d)%n", byKey.size() + 1,
                (System.nanoTime() - sentAt) / 1_000_000, seed);

        Set<String> keys = new HashSet<>(byKey.keySet());
        keys.add(longChannel.toString());
        // Records on other partitions may still be on their way: wait until each has its outcome.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> lettered = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> keys.contains(r.key()),
                    keys.size(), Duration.ofMillis(500)).stream().peek(letter -> {
                        EventSchemaAssert.assertValidEvent(letter);
                        assertThat(letter.value()).contains("\"consumer\":\"ticket-service\"").contains("\"reason\":\"");
                    }).map(ConsumerRecord::key).collect(Collectors.toSet());
            Set<String> ticketed = requestsWithTicket(requestIdOf.values());
            assertThat(lettered).contains(longChannel.toString());
            // Nothing is lost and nothing is both: every hostile request has a ticket or a dead letter.
            byKey.forEach((key, variant) -> {
                boolean letter = lettered.contains(key);
                boolean ticket = ticketed.contains(requestIdOf.get(key));
                assertThat(letter ^ ticket).as("%s: dead letter %s, ticket %s (seed %d)", variant.description(),
                        letter, ticket, seed).isTrue();
                // NUL, other control characters and broken Unicode can never be stored; nor broken documents.
                if (variant.description().matches(".* attack #[0-3]") || !variant.description().contains("attack")
                        && !variant.description().startsWith("without")) {
                    assertThat(letter).as("%s must be set aside (seed %d)", variant.description(), seed).isTrue();
                }
            });
        });
    }

    /** Which of these request ids have a ticket, straight from the service's database. */
    private static Set<String> requestsWithTicket(java.util.Collection<String> requestIds) {
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_test";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                java.sql.PreparedStatement query = db.prepareStatement(
                        "SELECT request_id::text FROM trouble_ticket WHERE request_id::text = ANY (?)")) {
            query.setArray(1, db.createArrayOf("text", requestIds.toArray()));
            Set<String> found = new HashSet<>();
            try (java.sql.ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
            return found;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static String good(UUID requestId, String customer) {
        return """
                {"requestId":"%s","channel":"app","customerId":"%s","subject":"%s","requestType":"complaint",\
                "description":"Billed twice this month","category":"billing","severity":"minor",\
                "region":"gz-tianhe","submittedAt":"%s"}""".formatted(requestId, customer, customer,
                OffsetDateTime.now(ZoneOffset.UTC));
    }
}
