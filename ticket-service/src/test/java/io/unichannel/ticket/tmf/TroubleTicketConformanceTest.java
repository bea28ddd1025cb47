package io.unichannel.ticket.tmf;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TMF621 Trouble Ticket v5 conformance, tried as a partner and as staff would: every response of
 * every operation is validated against the v5 schemas written from the official OpenAPI document
 * (TroubleTicket_RES, TroubleTicketSpecification_RES, Error, the event schemas), and the reference
 * status transitions hold.
 */
@QuarkusTest
class TroubleTicketConformanceTest {

    private static final String API = "/tmf-api/troubleTicket/v5";
    private static final String TICKETS = API + "/troubleTicket";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final java.util.Set<String> TMF_EVENTS = java.util.Set.of("TroubleTicketCreateEvent",
            "TroubleTicketAttributeValueChangeEvent", "TroubleTicketStatusChangeEvent", "TroubleTicketResolvedEvent",
            "TroubleTicketInformationRequiredEvent", "TroubleTicketDeleteEvent");

    private static String partner;
    private static String partnerToken;
    private static String otherPartnerToken;
    private static String agentToken;
    private static String adminToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        partner = KeycloakTestSupport.createPartnerClient(null);
        partnerToken = KeycloakTestSupport.serviceAccountToken(partner);
        otherPartnerToken = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(null));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "conf-region"));
        adminToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("admin"));
    }

    static Map<String, Object> newTicket(String customer, String type, String reference) {
        return Map.of("@type", "TroubleTicket", "description", "宽带无法上网，光猫红灯闪烁", "severity", "major", "ticketType", type,
                "channel", Map.of("id", "app", "name", "app", "@type", "ChannelRef"),
                "relatedParty", List.of(Map.of("role", "customer", "@type", "RelatedPartyRefOrPartyRoleRef",
                        "partyOrPartyRole", Map.of("id", customer, "@type", "PartyRoleRef", "@referredType", "Customer"))),
                "externalIdentifier", List.of(Map.of("id", reference, "externalIdentifierType", "FaultReport", "owner", "noc",
                        "@type", "ExternalIdentifier")),
                "troubleTicketCharacteristic", List.of(Map.of("name", "region", "valueType", "string", "value", "conf-region",
                        "@type", "StringCharacteristic")));
    }

    static JsonNode tree(Response response) {
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode create(String token, Map<String, Object> body, int status) {
        Response response = given().auth().oauth2(token).contentType("application/json").body(body).post(TICKETS);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        JsonNode node = tree(response);
        Tmf621Schemas.assertValid(status < 300 ? "TroubleTicket_RES" : "Error", node);
        return node;
    }

    @Test
    void aPartnerOpensATicketOnceAndItIsAValidV5TicketEverywhere() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        String reference = "NOC-" + UUID.randomUUID();
        JsonNode created = create(partnerToken, newTicket(customer, "faultRepair", reference), 201);
        String id = created.path("id").asText();
        assertThat(created.path("status").asText()).isEqualTo("acknowledged");
        assertThat(created.at("/relatedParty/0/partyOrPartyRole/id").asText()).isEqualTo(customer);
        assertThat(created.path("href").asText()).isEqualTo(TICKETS + "/" + id);
        // A retried POST with the partner's same reference returns the same ticket, opens no second one.
        assertThat(create(partnerToken, newTicket(customer, "faultRepair", reference), 201).path("id").asText()).isEqualTo(id);
        Response list = given().auth().oauth2(partnerToken).queryParam("relatedParty.id", customer).get(TICKETS);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.header("X-Total-Count")).isEqualTo("1");
        assertThat(list.header("X-Result-Count")).isEqualTo("1");
        tree(list).forEach(t -> Tmf621Schemas.assertValid("TroubleTicket_RES", t));
        Tmf621Schemas.assertValid("TroubleTicket_RES", tree(given().auth().oauth2(partnerToken).get(TICKETS + "/" + id)));
        // Another partner is not entitled to it: it does not exist for them.
        Response foreign = given().auth().oauth2(otherPartnerToken).get(TICKETS + "/" + id);
        assertThat(foreign.statusCode()).isEqualTo(404);
        Tmf621Schemas.assertValid("Error", tree(foreign));

        List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> id.equals(r.key()), 1, Duration.ofSeconds(15));
        CloudEvent event = EventSchemaAssert.assertValidEvent(events.get(0));
        JsonNode body = JSON.readTree(event.data());
        Tmf621Schemas.assertValid("TroubleTicketCreateEvent", body);
        assertThat(body.path("@type").asText()).isEqualTo("TroubleTicketCreateEvent");
    }

    @Test
    void listsHonourFieldsFiltersAndPagingAsTmf630Describes() {
        String customer = "C-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (String type : List.of("faultRepair", "complaint", "faultRepair")) {
            ids.add(create(partnerToken, newTicket(customer, type, "R-" + UUID.randomUUID()), 201).path("id").asText());
        }
        Response selected = given().auth().oauth2(partnerToken).queryParam("relatedParty.id", customer)
                .queryParam("fields", "status,ticketType").get(TICKETS);
        for (JsonNode t : tree(selected)) {
            List<String> names = new ArrayList<>();
            t.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyInAnyOrder("id", "href", "@type", "status", "ticketType");
        }
        Response faults = given().auth().oauth2(partnerToken).queryParam("relatedParty.id", customer)
                .queryParam("ticketType", "faultRepair").queryParam("creationDate.gte",
                        OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).toString()).get(TICKETS);
        assertThat(faults.header("X-Total-Count")).isEqualTo("2");
        tree(faults).forEach(t -> {
            Tmf621Schemas.assertValid("TroubleTicket_RES", t);
            assertThat(t.path("ticketType").asText()).isEqualTo("faultRepair");
        });
        Response both = given().auth().oauth2(partnerToken).queryParam("relatedParty.id", customer)
                .queryParam("ticketType", "faultRepair,complaint").queryParam("limit", 2).queryParam("offset", 2)
                .queryParam("sort", "creationDate").get(TICKETS);
        assertThat(both.header("X-Total-Count")).isEqualTo("3");
        assertThat(both.header("X-Result-Count")).isEqualTo("1");
        assertThat(tree(both).get(0).path("id").asText()).isEqualTo(ids.get(2));
        assertThat(given().auth().oauth2(partnerToken).queryParam("relatedParty.id", customer)
                .queryParam("creationDate.gt", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5).toString()).get(TICKETS)
                .header("X-Total-Count")).isEqualTo("0");
    }

    @Test
    void badRequestsAreTmfErrorsThatChangeNothing() {
        String customer = "C-" + UUID.randomUUID();
        Random random = new Random(621);
        List<Map<String, Object>> broken = new ArrayList<>();
        List<String> keys = List.of("description", "severity", "ticketType", "relatedParty", "channel", "@type",
                "troubleTicketCharacteristic", "externalIdentifier");
        List<Object> junk = List.of("", 42, List.of(), Map.of(), true, "x".repeat(5000), "\u0000bad", "minor,major",
                List.of(Map.of("role", "customer")), Map.of("name", "fax"));
        for (int i = 0; i < 60; i++) {
            Map<String, Object> body = new java.util.HashMap<>(newTicket(customer, "faultRepair", "B-" + i));
            String key = keys.get(random.nextInt(keys.size()));
            if (random.nextBoolean() && !List.of("channel", "@type", "troubleTicketCharacteristic", "externalIdentifier").contains(key)) {
                body.remove(key);
            } else {
                body.put(key, junk.get(random.nextInt(junk.size())));
            }
            broken.add(body);
        }
        int refusedCount = 0;
        for (Map<String, Object> body : broken) {
            Response response = given().auth().oauth2(partnerToken).contentType("application/json").body(body).post(TICKETS);
            assertThat(response.statusCode()).as("%s -> %s", body, response.asString()).isLessThan(500);
            if (response.statusCode() != 201) {
                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(response.contentType()).startsWith("application/problem+json");
                JsonNode error = tree(response);
                Tmf621Schemas.assertValid("Error", error);
                assertThat(error.path("type").asText()).startsWith("urn:unichannel:problem:");
                refusedCount++;
            }
        }
        assertThat(refusedCount).isGreaterThan(40);
        Response filter = given().auth().oauth2(partnerToken).queryParam("colour", "red").get(TICKETS);
        assertThat(filter.statusCode()).isEqualTo(400);
        Tmf621Schemas.assertValid("Error", tree(filter));
        assertThat(given().auth().oauth2(partnerToken).queryParam("fields", "status;drop").get(TICKETS).statusCode()).isEqualTo(400);
        // Staff cannot open tickets through the partner API, partners cannot change or delete them.
        assertThat(given().auth().oauth2(agentToken).contentType("application/json")
                .body(newTicket(customer, "complaint", "S-1")).post(TICKETS).statusCode()).isEqualTo(403);
    }

    /**
     * A TMF621 body binds strictly: a number is not text, and an attribute the resource does not
     * have (a misspelt one) is refused naming it instead of vanishing. Nothing is opened or changed.
     */
    @Test
    void misspeltAndMistypedAttributesAreRefusedNamingThem() {
        String customer = "C-" + UUID.randomUUID();
        Map<String, Object> numeric = new java.util.HashMap<>(newTicket(customer, "faultRepair", "N-1"));
        numeric.put("description", 123);
        Map<String, Object> misspelt = new java.util.HashMap<>(newTicket(customer, "faultRepair", "N-2"));
        misspelt.put("serverity", "minor");
        Map<String, Object> nested = new java.util.HashMap<>(newTicket(customer, "faultRepair", "N-3"));
        nested.put("channel", Map.of("id", "app", "nmae", "app"));
        for (var refused : Map.of("description", numeric, "serverity", misspelt, "channel.nmae", nested).entrySet()) {
            Response response = given().auth().oauth2(partnerToken).contentType("application/json").body(refused.getValue())
                    .post(TICKETS);
            assertThat(response.statusCode()).as(refused.getKey()).isEqualTo(400);
            JsonNode error = tree(response);
            Tmf621Schemas.assertValid("Error", error);
            assertThat(error.path("errors").findValuesAsText("field")).as(response.asString()).containsExactly(refused.getKey());
        }
        assertThat(given().auth().oauth2(partnerToken).queryParam("relatedParty.id", customer).get(TICKETS)
                .then().statusCode(200).extract().jsonPath().getList("$")).as("nothing was opened").isEmpty();

        String id = given().auth().oauth2(partnerToken).contentType("application/json")
                .body(newTicket(customer, "faultRepair", "N-4")).post(TICKETS).then().statusCode(201).extract().path("id");
        Response patch = given().auth().oauth2(agentToken).contentType("application/merge-patch+json")
                .body("{\"statusChangeReasn\":\"typo\",\"status\":\"inProgress\"}").patch(TICKETS + "/" + id);
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(tree(patch).path("errors").findValuesAsText("field")).containsExactly("statusChangeReasn");
        assertThat(given().auth().oauth2(agentToken).get(TICKETS + "/" + id).then().statusCode(200).extract().path("status")
                .toString()).as("the refused change changed nothing").isEqualTo("acknowledged");
    }

    @Test
    void staffMoveATicketThroughTheReferenceTransitionsAndOnlyAnAdminDeletesIt() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        String id = create(partnerToken, newTicket(customer, "complaint", "T-" + UUID.randomUUID()), 201).path("id").asText();
        for (String step : List.of("{\"status\":\"inProgress\"}", "{\"status\":\"pending\",\"statusChangeReason\":\"Waiting for the customer\"}",
                "{\"status\":\"inProgress\"}", "{\"note\":[{\"text\":\"Called back\",\"@type\":\"Note\"}]}",
                "{\"relatedParty\":[{\"role\":\"assignee\",\"@type\":\"RelatedPartyRefOrPartyRoleRef\",\"partyOrPartyRole\":{\"id\":\"agent-wu\",\"@type\":\"PartyRef\"}}]}",
                "{\"status\":\"resolved\",\"statusChangeReason\":\"Refunded\"}", "{\"status\":\"closed\"}")) {
            Response patched = given().auth().oauth2(agentToken).contentType("application/merge-patch+json").body(step)
                    .patch(TICKETS + "/" + id);
            assertThat(patched.statusCode()).as(step + " -> " + patched.asString()).isEqualTo(200);
            Tmf621Schemas.assertValid("TroubleTicket_RES", tree(patched));
        }
        JsonNode closed = tree(given().auth().oauth2(agentToken).get(TICKETS + "/" + id));
        assertThat(closed.path("status").asText()).isEqualTo("closed");
        assertThat(closed.path("statusChangeHistory")).hasSize(6);
        assertThat(closed.path("statusChangeHistory").get(5).path("statusChangeDate").asText())
                .isEqualTo(closed.path("statusChangeDate").asText());
        Response reopen = given().auth().oauth2(agentToken).contentType("application/merge-patch+json")
                .body("{\"status\":\"inProgress\"}").patch(TICKETS + "/" + id);
        assertThat(reopen.statusCode()).isEqualTo(409);
        Tmf621Schemas.assertValid("Error", tree(reopen));
        assertThat(given().auth().oauth2(partnerToken).contentType("application/merge-patch+json")
                .body("{\"status\":\"cancelled\"}").patch(TICKETS + "/" + id).statusCode()).isEqualTo(403);

        assertThat(given().auth().oauth2(agentToken).delete(TICKETS + "/" + id).statusCode()).isEqualTo(403);
        assertThat(given().auth().oauth2(partnerToken).delete(TICKETS + "/" + id).statusCode()).isEqualTo(403);
        assertThat(given().auth().oauth2(adminToken).delete(TICKETS + "/" + id).statusCode()).isEqualTo(204);
        Response gone = given().auth().oauth2(agentToken).get(TICKETS + "/" + id);
        assertThat(gone.statusCode()).isEqualTo(404);
        Tmf621Schemas.assertValid("Error", tree(gone));
        assertThat(given().auth().oauth2(adminToken).delete(TICKETS + "/" + id).statusCode()).isEqualTo(404);

        List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> id.equals(r.key()), 9, Duration.ofSeconds(20));
        assertThat(events.size()).isGreaterThanOrEqualTo(9);
        List<String> types = new ArrayList<>();
        for (ConsumerRecord<String, String> record : events) {
            CloudEvent event = EventSchemaAssert.assertValidEvent(record);
            types.add(event.type());
            if (TMF_EVENTS.contains(event.type())) {
                Tmf621Schemas.assertValid(event.type(), JSON.readTree(event.data()));
            }
        }
        assertThat(types).contains("TroubleTicketCreateEvent", "TroubleTicketStatusChangeEvent",
                "TroubleTicketAttributeValueChangeEvent", "TroubleTicketResolvedEvent");
        assertThat(types.get(types.size() - 1)).isEqualTo("TroubleTicketDeleteEvent");
    }

    @Test
    void theSpecificationsNameEveryTicketTypeAndTheirCharacteristics() {
        Response list = given().auth().oauth2(partnerToken).get(API + "/troubleTicketSpecification");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.header("X-Total-Count")).isEqualTo("4");
        List<String> ids = new ArrayList<>();
        for (JsonNode spec : tree(list)) {
            Tmf621Schemas.assertValid("TroubleTicketSpecification_RES", spec);
            ids.add(spec.path("id").asText());
        }
        assertThat(ids).containsExactlyInAnyOrder("complaint", "consultation", "businessRequest", "faultRepair");
        JsonNode fault = tree(given().auth().oauth2(partnerToken).get(API + "/troubleTicketSpecification/faultRepair"));
        Tmf621Schemas.assertValid("TroubleTicketSpecification_RES", fault);
        assertThat(fault.path("specCharacteristic").findValuesAsText("name")).contains("region", "slaClock");
        Response missing = given().auth().oauth2(partnerToken).get(API + "/troubleTicketSpecification/warranty");
        assertThat(missing.statusCode()).isEqualTo(404);
        Tmf621Schemas.assertValid("Error", tree(missing));
    }

    @Test
    void theConformanceSchemasRefuseTicketsThatBreakV5() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        JsonNode good = create(partnerToken, newTicket(customer, "consultation", "V-" + UUID.randomUUID()), 201);
        List<String> breakages = List.of("/@type", "/channel/@type", "/channel/id", "/relatedParty/0/@type",
                "/relatedParty/0/partyOrPartyRole/@type", "/statusChangeHistory/0/@type", "/externalIdentifier/0/@type",
                "/troubleTicketCharacteristic/0/@type");
        for (String pointer : breakages) {
            ObjectNode copy = good.deepCopy();
            int slash = pointer.lastIndexOf('/');
            ((ObjectNode) copy.at(pointer.substring(0, slash).isEmpty() ? "" : pointer.substring(0, slash)))
                    .remove(pointer.substring(slash + 1));
            assertThat(Tmf621Schemas.problems("TroubleTicket_RES", copy)).as("without %s", pointer).isNotEmpty();
        }
        ObjectNode badStatus = good.deepCopy();
        badStatus.put("status", "open");
        assertThat(Tmf621Schemas.problems("TroubleTicket_RES", badStatus)).isNotEmpty();
        ObjectNode badDate = good.deepCopy();
        badDate.put("creationDate", "yesterday");
        assertThat(Tmf621Schemas.problems("TroubleTicket_RES", badDate)).isNotEmpty();
    }
}
