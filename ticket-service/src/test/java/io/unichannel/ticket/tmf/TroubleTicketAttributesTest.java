package io.unichannel.ticket.tmf;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TMF621 as partners read it: the official document's create example is answered with what to
 * change, a ticket keeps everything its TroubleTicket_FVO carried, and PATCH is a JSON merge-patch
 * over every attribute the platform does not set itself (null removes what may be removed).
 */
@QuarkusTest
class TroubleTicketAttributesTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String partnerToken;
    private static String otherPartnerToken;
    private static String agentToken;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        partnerToken = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(null));
        otherPartnerToken = KeycloakTestSupport.serviceAccountToken(KeycloakTestSupport.createPartnerClient(null));
        agentToken = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "attr-region"));
    }

    private static ObjectNode officialExample() throws Exception {
        try (InputStream in = TroubleTicketAttributesTest.class.getResourceAsStream("/tmf621/create-example.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** The official example with the values this operator's catalogue uses, and a customer to open it for. */
    private static ObjectNode adapted(String customer) throws Exception {
        ObjectNode body = officialExample();
        body.put("severity", "major").put("ticketType", "complaint");
        ((ObjectNode) body.get("channel")).put("id", "web").put("name", "web");
        ObjectNode party = (ObjectNode) body.get("relatedParty").get(0);
        party.put("role", "customer");
        ((ObjectNode) party.get("partyOrPartyRole")).put("id", customer).put("@type", "PartyRoleRef").put("@referredType", "Customer");
        body.putArray("externalIdentifier").addObject().put("id", "CRM-" + UUID.randomUUID()).put("externalIdentifierType", "crmCase")
                .put("@type", "ExternalIdentifier");
        body.putArray("troubleTicketCharacteristic").addObject().put("name", "region").put("value", "attr-region")
                .put("valueType", "string").put("@type", "StringCharacteristic");
        body.put("requestedResolutionDate", "2026-12-31T16:00:00Z");
        return body;
    }

    private static JsonNode tree(Response response) throws Exception {
        return JSON.readTree(response.asString());
    }

    private static Response patch(String token, String id, String body) {
        return given().auth().oauth2(token).contentType("application/merge-patch+json; charset=UTF-8").body(body).patch(TICKETS + "/" + id);
    }

    @Test
    void theOfficialExampleIsAnsweredWithWhatToChangeAndItsAdaptationKeepsEverythingItCarries() throws Exception {
        Response official = given().auth().oauth2(partnerToken).contentType("application/json").body(officialExample().toString())
                .post(TICKETS);
        assertThat(official.statusCode()).as(official.asString()).isEqualTo(400);
        JsonNode error = tree(official);
        Tmf621Schemas.assertValid("Error", error);
        // Each value this operator does not use is named, with what it accepts instead.
        assertThat(error.path("errors").findValuesAsText("field")).contains("severity", "ticketType", "relatedParty[0].role");
        assertThat(error.toString()).contains("must be critical, major or minor")
                .contains("must be complaint, consultation, businessRequest or faultRepair");

        String customer = "C-" + UUID.randomUUID();
        ObjectNode body = adapted(customer);
        String reference = body.at("/externalIdentifier/0/id").asText();
        Response created = given().auth().oauth2(partnerToken).contentType("application/json").body(body.toString()).post(TICKETS);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        JsonNode ticket = tree(created);
        Tmf621Schemas.assertValid("TroubleTicket_RES", ticket);
        assertThat(ticket.path("name").asText()).isEqualTo("Compliant over last invoice");
        assertThat(OffsetDateTime.parse(ticket.path("requestedResolutionDate").asText()))
                .isEqualTo(OffsetDateTime.parse("2026-12-31T16:00:00Z"));
        assertThat(ticket.at("/attachment/0/url").asText()).isEqualTo("https://mycsp.com:7070/docloader?docnum=3534555");
        assertThat(ticket.at("/attachment/0/description").asText()).isEqualTo("Scanned disputed invoice");
        assertThat(ticket.at("/attachment/0/@type").asText()).isEqualTo("AttachmentRef");
        assertThat(ticket.at("/relatedEntity/0/role").asText()).isEqualTo("Disputed Bill");
        assertThat(ticket.at("/relatedEntity/0/entity/id").asText()).isEqualTo("3180");
        assertThat(ticket.at("/relatedEntity/0/entity/@referredType").asText()).isEqualTo("CustomerBill");
        assertThat(ticket.at("/note/0/text").asText()).isEqualTo("This is a TMF ticket");
        assertThat(ticket.path("troubleTicketRelationship").findValuesAsText("relationshipType")).contains("isBlockedBy");
        assertThat(ticket.path("externalIdentifier").findValuesAsText("id")).contains(reference);
        assertThat(ticket.path("externalIdentifier").findValuesAsText("externalIdentifierType")).contains("crmCase");

        // The create event carries the same, valid against both the platform's and TMF621's event schemas.
        String id = ticket.path("id").asText();
        List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> id.equals(r.key()), 1, Duration.ofSeconds(15));
        CloudEvent event = EventSchemaAssert.assertValidEvent(events.get(0));
        JsonNode data = JSON.readTree(event.data());
        Tmf621Schemas.assertValid("TroubleTicketCreateEvent", data);
        assertThat(data.at("/event/troubleTicket/relatedEntity/0/entity/id").asText()).isEqualTo("3180");
        assertThat(data.at("/event/troubleTicket/attachment/0/url").asText()).startsWith("https://mycsp.com");

        // An attachment sent inline is refused naming it: the platform keeps references, not documents.
        ObjectNode inline = adapted(customer);
        ((ObjectNode) inline.at("/attachment/0")).put("@type", "Attachment").put("content", "JVBERi0xLjQK");
        Response refused = given().auth().oauth2(partnerToken).contentType("application/json").body(inline.toString()).post(TICKETS);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(tree(refused).path("errors").findValuesAsText("field")).containsExactly("attachment[0].content");
    }

    @Test
    void aMergePatchChangesEveryPatchableAttributeAndNullRemovesWhatMayBeRemoved() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        JsonNode created = tree(given().auth().oauth2(partnerToken).contentType("application/json")
                .body(adapted(customer).toString()).post(TICKETS).then().statusCode(201).extract().response());
        String id = created.path("id").asText();
        int notesBefore = created.path("note").size();

        Response changed = patch(agentToken, id, """
                {"name": "话费争议：十一月账单", "description": "客户对十一月账单中的国际漫游费有异议",
                 "requestedResolutionDate": "2027-01-05T08:00:00+08:00",
                 "note": [{"id": "n-1", "text": "已致电客户核实漫游记录", "@type": "Note"}, {"text": "已提交计费核查", "@type": "Note"}],
                 "attachment": [{"@type": "AttachmentRef", "id": "doc-2", "url": "https://crm.example/doc/2", "name": "通话详单"}],
                 "relatedEntity": [{"role": "disputedBill", "@type": "RelatedEntity",
                                    "entity": {"id": "BILL-202611", "@referredType": "CustomerBill", "@type": "EntityRef"}}],
                 "troubleTicketCharacteristic": [{"name": "category", "value": "billing-dispute", "@type": "StringCharacteristic"}],
                 "priority": "low"}
                """);
        assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(200);
        JsonNode ticket = tree(changed);
        Tmf621Schemas.assertValid("TroubleTicket_RES", ticket);
        assertThat(ticket.path("name").asText()).isEqualTo("话费争议：十一月账单");
        assertThat(ticket.path("description").asText()).isEqualTo("客户对十一月账单中的国际漫游费有异议");
        assertThat(OffsetDateTime.parse(ticket.path("requestedResolutionDate").asText()))
                .isEqualTo(OffsetDateTime.parse("2027-01-05T00:00:00Z"));
        assertThat(ticket.path("attachment")).hasSize(1);
        assertThat(ticket.at("/attachment/0/name").asText()).isEqualTo("通话详单");
        assertThat(ticket.at("/relatedEntity/0/entity/id").asText()).isEqualTo("BILL-202611");
        assertThat(ticket.path("note")).hasSize(notesBefore + 2);
        assertThat(ticket.path("priority").asText()).isEqualTo("low");
        assertThat(characteristic(ticket, "category")).isEqualTo("billing-dispute");

        // The same note sent again (a retried PATCH) is not added twice; null removes; the rest stays.
        Response removed = patch(agentToken, id, """
                {"note": [{"id": "n-1", "text": "已致电客户核实漫游记录"}], "name": null, "attachment": null,
                 "requestedResolutionDate": null}
                """);
        assertThat(removed.statusCode()).as(removed.asString()).isEqualTo(200);
        JsonNode after = tree(removed);
        Tmf621Schemas.assertValid("TroubleTicket_RES", after);
        assertThat(after.has("name")).isFalse();
        assertThat(after.has("attachment")).isFalse();
        assertThat(after.has("requestedResolutionDate")).isFalse();
        assertThat(after.path("note")).hasSize(notesBefore + 2);
        assertThat(after.at("/relatedEntity/0/entity/id").asText()).isEqualTo("BILL-202611");
        assertThat(after.path("description").asText()).isEqualTo("客户对十一月账单中的国际漫游费有异议");

        // What the platform sets, and what cannot be removed, are refused naming them; nothing changes.
        for (var refusal : java.util.Map.of(
                "{\"expectedResolutionDate\": \"2027-01-01T00:00:00Z\", \"name\": \"x\"}", "expectedResolutionDate",
                "{\"ticketType\": \"consultation\"}", "ticketType",
                "{\"description\": null}", "description",
                "{\"troubleTicketCharacteristic\": [{\"name\": \"region\", \"value\": \"elsewhere\"}]}", "troubleTicketCharacteristic[0].name",
                "{\"attachment\": [{\"@type\": \"AttachmentRef\", \"url\": \"javascript:alert(1)\"}]}", "attachment[0].url",
                "{\"requestedResolutionDate\": \"next week\"}", "requestedResolutionDate").entrySet()) {
            Response response = patch(agentToken, id, refusal.getKey());
            assertThat(response.statusCode()).as(refusal.getKey() + " -> " + response.asString()).isEqualTo(400);
            Tmf621Schemas.assertValid("Error", tree(response));
            assertThat(tree(response).path("errors").findValuesAsText("field")).as(response.asString()).contains(refusal.getValue());
        }
        JsonNode unchanged = tree(given().auth().oauth2(agentToken).get(TICKETS + "/" + id));
        assertThat(unchanged.has("name")).as("a refused patch changed nothing").isFalse();
        assertThat(unchanged.path("description").asText()).isEqualTo("客户对十一月账单中的国际漫游费有异议");

        // The attribute change events name what changed.
        List<ConsumerRecord<String, String>> events = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS,
                r -> id.equals(r.key()), 3, Duration.ofSeconds(15));
        JsonNode first = JSON.readTree(EventSchemaAssert.assertValidEvent(events.get(1)).data());
        Tmf621Schemas.assertValid("TroubleTicketAttributeValueChangeEvent", first);
        List<String> fields = new java.util.ArrayList<>();
        first.path("fieldPath").forEach(f -> fields.add(f.asText()));
        assertThat(fields).contains("name", "description", "requestedResolutionDate", "note", "attachment", "relatedEntity",
                "troubleTicketCharacteristic", "priority");
    }

    @Test
    void aPartnerChangesTheDetailsOfTicketsItOpenedButNeverTheOperatorsDecisions() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        String id = tree(given().auth().oauth2(partnerToken).contentType("application/json")
                .body(adapted(customer).toString()).post(TICKETS).then().statusCode(201).extract().response()).path("id").asText();

        Response added = patch(partnerToken, id, """
                {"note": [{"id": "crm-9", "text": "Customer sent the bill again", "@type": "Note"}],
                 "attachment": [{"@type": "AttachmentRef", "url": "https://crm.example/doc/9"}]}
                """);
        assertThat(added.statusCode()).as(added.asString()).isEqualTo(200);
        JsonNode ticket = tree(added);
        assertThat(ticket.path("note").findValuesAsText("text")).contains("Customer sent the bill again");
        assertThat(ticket.at("/attachment/0/url").asText()).isEqualTo("https://crm.example/doc/9");
        // A partner's note is not the operator's answer: the first-response clock keeps running.
        assertThat(characteristic(ticket, "firstResponseDate")).isNull();

        Response decided = patch(partnerToken, id, "{\"priority\": \"urgent\", \"severity\": \"critical\"}");
        assertThat(decided.statusCode()).isEqualTo(403);
        Tmf621Schemas.assertValid("Error", tree(decided));
        assertThat(tree(decided).path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("priority", "severity");
        assertThat(patch(otherPartnerToken, id, "{\"name\": \"not mine\"}").statusCode()).isEqualTo(404);
        JsonNode read = tree(given().auth().oauth2(agentToken).get(TICKETS + "/" + id));
        assertThat(read.path("priority").asText()).isNotEqualTo("urgent");
        assertThat(read.path("name").asText()).isEqualTo("Compliant over last invoice");
    }

    private static String characteristic(JsonNode ticket, String name) {
        for (JsonNode c : ticket.path("troubleTicketCharacteristic")) {
            if (name.equals(c.path("name").asText())) {
                return c.path("value").asText();
            }
        }
        return null;
    }
}
