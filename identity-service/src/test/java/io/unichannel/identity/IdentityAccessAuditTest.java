package io.unichannel.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import io.unichannel.identity.Customers.Registered;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A staff member looking at a customer's record or channel identities is recorded with whose data
 * it was and why; the customer looking at their own is not; ops query the record, and the SIEM
 * receives it on audit-events without the personal data itself.
 */
@QuarkusTest
class IdentityAccessAuditTest {

    @Test
    void staffLooksAtACustomerAreRecordedTheCustomersOwnAreNot() {
        String agent = Customers.agentToken();
        String agentId = Tokens.claims(agent).get("sub").asText();
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        Registered customer = Customers.register(agent);
        String app = KeycloakTestSupport.passwordToken("channel-app", customer.appUser());

        given().auth().oauth2(agent).header("X-Access-Purpose", "Billing question on the hotline")
                .get("/api/v1/customers/" + customer.id()).then().statusCode(200);
        given().auth().oauth2(agent).get("/api/v1/customers/" + customer.id() + "/identities").then().statusCode(200);
        given().auth().oauth2(app).get("/api/v1/customers/me").then().statusCode(200);

        List<Map<String, Object>> entries = given().auth().oauth2(ops).queryParam("customerId", customer.id())
                .get("/api/v1/access-audit").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(entries).extracting(e -> e.get("staffId") + " " + e.get("action") + " " + e.get("resourceType"))
                .containsExactly(agentId + " read customer-identities", agentId + " read customer",
                        agentId + " change customer");
        assertThat(entries.get(1).get("purpose")).isEqualTo("Billing question on the hotline");

        List<ConsumerRecord<String, String>> published = KafkaTestSupport.readMatching(Topics.AUDIT_EVENTS,
                r -> agentId.equals(r.key()) && r.value().contains(customer.id()), 3, Duration.ofSeconds(20));
        assertThat(published).hasSize(3);
        published.forEach(EventSchemaAssert::assertValidEvent);
        assertThat(published).noneMatch(r -> r.value().contains(customer.msisdn()) || r.value().contains("Li Lei"));
    }
}
