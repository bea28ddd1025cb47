package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every staff read and change of a ticket is recorded (who, what, whose, when, why, outcome),
 * refused attempts included; ops query it, other staff cannot; the SIEM gets each entry on
 * audit-events.
 */
@QuarkusTest
class AccessAuditTest {

    @Test
    void staffReadsChangesAndRefusedAttemptsAreRecordedQueryableByOpsAndPublished() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String agent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz-haizhu"));
        String agentId = Tokens.claims(agent).get("sub").asText();
        String customer = "C-" + UUID.randomUUID();
        String stranger = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "faultRepair", "gz-haizhu", "minor"));
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), stranger, "complaint", "gz-tianhe", "minor"));
        String own = Tickets.awaitTicketOf(ops, customer);
        String other = Tickets.awaitTicketOf(ops, stranger);

        given().auth().oauth2(agent).header("X-Access-Purpose", "Customer called about the repair visit")
                .get(Tickets.PATH + "/" + own).then().statusCode(200);
        given().auth().oauth2(agent).get(Tickets.PATH + "/" + other).then().statusCode(404);
        Tickets.patch(agent, own, "{\"note\":[{\"text\":\"Visit moved to Friday\"}]}").statusCode(200);
        given().auth().oauth2(agent).queryParam("relatedParty.id", customer).get(Tickets.PATH).then().statusCode(200);

        // Ops only, and paged.
        given().auth().oauth2(agent).get("/api/v1/access-audit").then().statusCode(403);
        List<Map<String, Object>> entries = given().auth().oauth2(ops).queryParam("staffId", agentId)
                .get("/api/v1/access-audit").then().statusCode(200).header("X-Total-Count", "4")
                .extract().jsonPath().getList("$");
        assertThat(entries).extracting(e -> e.get("resourceType") + " " + e.get("action") + " " + e.get("outcome"))
                .containsExactly("trouble-ticket-list read 200", "trouble-ticket change 200", "trouble-ticket read 404",
                        "trouble-ticket read 200");
        Map<String, Object> read = entries.get(3);
        assertThat(read.get("resourceId")).isEqualTo(own);
        assertThat(read.get("customerIds")).isEqualTo(List.of(customer));
        assertThat(read.get("purpose")).isEqualTo("Customer called about the repair visit");
        assertThat(read.get("staffRegion")).isEqualTo("gz-haizhu");
        assertThat(read.get("roles")).isEqualTo("agent");
        // The refused attempt names the ticket but not whose it is.
        assertThat(entries.get(2).get("resourceId")).isEqualTo(other);
        assertThat(entries.get(2).get("customerIds")).isEqualTo(List.of());
        assertThat(entries.get(2).get("purpose")).isEqualTo("not given");
        // Whose data: the agent's accesses to this customer's data (read, change, list), a page of two.
        List<Object> page = given().auth().oauth2(ops).queryParam("customerId", customer).queryParam("staffId", agentId)
                .queryParam("limit", 2).get("/api/v1/access-audit").then().statusCode(200).header("X-Total-Count", "3")
                .extract().jsonPath().getList("$");
        assertThat(page).hasSize(2);
        given().auth().oauth2(ops).queryParam("since", "yesterday").get("/api/v1/access-audit").then().statusCode(400);

        List<ConsumerRecord<String, String>> published = KafkaTestSupport.readMatching(Topics.AUDIT_EVENTS,
                r -> agentId.equals(r.key()), 4, Duration.ofSeconds(20));
        assertThat(published).hasSize(4);
        published.forEach(EventSchemaAssert::assertValidEvent);
        assertThat(published).anySatisfy(r -> assertThat(r.value()).contains("\"resourceId\":\"" + own + "\"")
                .contains("\"customerIds\":[\"" + customer + "\"]"));
        // What staff wrote or read never rides in the entry, only whose it was.
        assertThat(published).noneMatch(r -> r.value().contains("Visit moved"));
    }

    /**
     * When an access cannot be recorded, a read shows nothing (503) and a change that already
     * happened keeps its answer. The database refuses the record through a trigger for one purpose.
     */
    @Test
    void aReadThatCannotBeRecordedIsWithheld() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "consultation", "gz-haizhu", "minor"));
        String ticket = Tickets.awaitTicketOf(ops, customer);
        String purpose = "audit-refused-" + UUID.randomUUID();
        String url = "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_test";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                java.sql.Statement sql = db.createStatement()) {
            sql.execute("CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.purpose LIKE 'audit-refused-%' THEN RAISE EXCEPTION 'audit store refused'; END IF; "
                    + "RETURN NEW; END $$");
            sql.execute("DROP TRIGGER IF EXISTS refuse_audit ON access_audit");
            sql.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON access_audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()");
            try {
                String body = given().auth().oauth2(ops).header("X-Access-Purpose", purpose).get(Tickets.PATH + "/" + ticket)
                        .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                        .extract().asString();
                assertThat(body).doesNotContain(customer).doesNotContain("description");
                // The change happened (its own transaction committed); its answer stands.
                given().auth().oauth2(ops).header("X-Access-Purpose", purpose).contentType("application/merge-patch+json")
                        .body("{\"priority\":\"urgent\"}").patch(Tickets.PATH + "/" + ticket).then().statusCode(200);
            } finally {
                sql.execute("DROP TRIGGER IF EXISTS refuse_audit ON access_audit");
            }
        }
        given().auth().oauth2(ops).get(Tickets.PATH + "/" + ticket).then().statusCode(200)
                .body("priority", org.hamcrest.Matchers.equalTo("urgent"));
    }
}
