package io.unichannel.ticket.tmf;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The hub's consumer of ticket-events against generated hostile records (control characters,
 * invalid Unicode, over-long values, wrong types, missing fields, broken documents) for a ticket
 * region a partner holds: the broken ones are dead-lettered with a reason, none is both delivered
 * and dead-lettered, and a good event published after them still reaches the partner.
 */
@QuarkusTest
class HubPoisonTest {

    @Test
    void hostileTicketEventsAreSetAsideAndAGoodOneIsStillDelivered() throws Exception {
        long seed = System.nanoTime();
        String region = "hp-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String token = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(region));
        try (HubDeliveryTest.Partner partner = new HubDeliveryTest.Partner(0)) {
            HubDeliveryTest.subscribe(token, partner, null);
            String template = "TT-HP-TEMPLATE";
            List<HostilePayloads.Variant> variants = HostilePayloads.of(event(template, region),
                    List.of("eventId", "eventTime", "eventType", "sequence", "event", "correlationId"), 60, seed);
            Map<String, HostilePayloads.Variant> byKey = new LinkedHashMap<>();
            for (HostilePayloads.Variant variant : variants) {
                String key = "TT-HP-" + UUID.randomUUID().toString().substring(0, 8);
                byKey.put(key, variant);
                KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, key, CloudEvent.of(Topics.TICKET_SERVICE,
                        EventTypes.TROUBLE_TICKET_STATUS_CHANGE, key, variant.payload().replace(template, key))));
            }
            String good = "TT-HP-GOOD-" + UUID.randomUUID().toString().substring(0, 6);
            KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, good, CloudEvent.of(Topics.TICKET_SERVICE,
                    EventTypes.TROUBLE_TICKET_STATUS_CHANGE, good, event(good, region))));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    partner.accepted.stream().anyMatch(e -> good.equals(e.at("/event/troubleTicket/id").asText())));
            assertThat(partner.badSignatures.get()).isZero();

            Set<String> keys = new HashSet<>(byKey.keySet());
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Set<String> lettered = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> keys.contains(r.key()),
                        keys.size(), Duration.ofMillis(500)).stream().peek(letter -> {
                            EventSchemaAssert.assertValidEvent(letter);
                            assertThat(letter.value()).contains("\"originalTopic\":\"ticket-events\"").contains("\"reason\":\"");
                        }).map(ConsumerRecord::key).collect(Collectors.toSet());
                Set<String> delivered = partner.accepted.stream().map(e -> e.at("/event/troubleTicket/id").asText())
                        .collect(Collectors.toSet());
                byKey.forEach((key, variant) -> {
                    assertThat(lettered.contains(key) && delivered.contains(key))
                            .as("%s both delivered and dead-lettered (seed %d)", variant.description(), seed).isFalse();
                    // Broken documents and a missing id, event id or sequence can never become a delivery.
                    if (!variant.description().contains("attack") && !variant.description().startsWith("without")
                            || variant.description().equals("without eventId") || variant.description().equals("without sequence")
                            || variant.description().equals("without event")) {
                        assertThat(lettered).as("%s must be set aside (seed %d)", variant.description(), seed).contains(key);
                    }
                });
            });
        }
    }

    private static String event(String ticketId, String region) {
        String now = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(5).toString();
        return """
                {"@type":"TroubleTicketStatusChangeEvent","eventId":"%s","eventTime":"%s",\
                "eventType":"TroubleTicketStatusChangeEvent","correlationId":"%s","sequence":2,"fieldPath":["status"],\
                "event":{"troubleTicket":{"id":"%s","href":"/tmf-api/troubleTicket/v5/troubleTicket/%s","@type":"TroubleTicket",\
                "ticketType":"faultRepair","description":"Fibre down","severity":"major","status":"inProgress",\
                "channel":{"id":"app","name":"app","@type":"ChannelRef"},\
                "relatedParty":[{"role":"customer","partyOrPartyRole":{"id":"C-hp","@type":"PartyRoleRef"},"@type":"RelatedPartyRefOrPartyRoleRef"}],\
                "troubleTicketCharacteristic":[{"name":"region","valueType":"string","value":"%s","@type":"StringCharacteristic"}]}}}"""
                .formatted(UUID.randomUUID(), now, UUID.randomUUID(), ticketId, ticketId, region);
    }
}
