package io.unichannel.ticket;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Staff see and change only what is theirs: an agent their region's tickets and those assigned to
 * them, a supervisor their region's, ops everything. Out of scope is 404 (indistinguishable from a
 * ticket that does not exist), and lists and counts leave it out.
 */
@QuarkusTest
class StaffScopeTest {

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";

    private static String ops;
    private static String haizhuAgent;
    private static String haizhuAgentName;
    private static String tianheAgent;
    private static String tianheSupervisor;
    private static String haizhuSupervisor;
    private static String noRegionAgent;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ops = token(KeycloakTestSupport.createUser("ops"));
        KeycloakTestSupport.TestUser haizhu = KeycloakTestSupport.createStaff("agent", "gz-haizhu");
        haizhuAgentName = haizhu.username();
        haizhuAgent = token(haizhu);
        tianheAgent = token(KeycloakTestSupport.createStaff("agent", "gz-tianhe"));
        tianheSupervisor = token(KeycloakTestSupport.createStaff("supervisor", "gz-tianhe"));
        haizhuSupervisor = token(KeycloakTestSupport.createStaff("supervisor", "gz-haizhu"));
        noRegionAgent = token(KeycloakTestSupport.createUser("agent"));
    }

    private static String token(KeycloakTestSupport.TestUser user) {
        return KeycloakTestSupport.passwordToken("staff-console", user);
    }

    @Test
    void anAgentOfAnotherRegionGets404AndTheListAndCountLeaveTheTicketOut() {
        String customer = "C-" + UUID.randomUUID();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "faultRepair", "gz-tianhe", "minor"));
        String ticketId = await().atMost(Duration.ofSeconds(20)).until(() -> list(ops, customer).jsonPath().<String>getList("id"),
                ids -> !ids.isEmpty()).get(0);

        // gz-haizhu's agent and supervisor: as if the ticket did not exist, in reads, changes, lists and counts
        for (String outsider : List.of(haizhuAgent, haizhuSupervisor, noRegionAgent)) {
            given().auth().oauth2(outsider).when().get(TICKETS + "/" + ticketId).then().statusCode(404)
                    .contentType("application/problem+json");
            patch(outsider, ticketId, "{\"status\":\"inProgress\"}").then().statusCode(404);
            Response page = list(outsider, customer);
            assertThat(page.jsonPath().getList("id")).isEmpty();
            assertThat(page.header("X-Total-Count")).isEqualTo("0");
        }
        // gz-tianhe's staff and ops see it
        for (String insider : List.of(tianheAgent, tianheSupervisor, ops)) {
            given().auth().oauth2(insider).when().get(TICKETS + "/" + ticketId).then().statusCode(200);
            assertThat(list(insider, customer).header("X-Total-Count")).isEqualTo("1");
        }

        // assigned to the gz-haizhu agent: now theirs to see and change, still not their supervisor's
        patch(tianheSupervisor, ticketId, "{\"relatedParty\":[{\"id\":\"" + haizhuAgentName + "\",\"role\":\"assignee\"}]}")
                .then().statusCode(200);
        patch(haizhuAgent, ticketId, "{\"status\":\"inProgress\"}").then().statusCode(200);
        assertThat(list(haizhuAgent, customer).header("X-Total-Count")).isEqualTo("1");
        given().auth().oauth2(haizhuSupervisor).when().get(TICKETS + "/" + ticketId).then().statusCode(404);
        // nothing the outsiders tried changed it
        given().auth().oauth2(ops).when().get(TICKETS + "/" + ticketId).then().statusCode(200)
                .body("statusChangeHistory.status", org.hamcrest.Matchers.equalTo(List.of("acknowledged", "inProgress")));
    }

    @Test
    void listsCountOnlyTheCallersRegion() {
        String customer = "C-" + UUID.randomUUID();
        for (String region : List.of("gz-tianhe", "gz-tianhe", "gz-haizhu", "sz-futian")) {
            KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer, "consultation", region, "minor"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "4".equals(list(ops, customer).header("X-Total-Count")));
        Map<String, String> expected = Map.of(tianheAgent, "2", haizhuAgent, "1", tianheSupervisor, "2", noRegionAgent, "0");
        expected.forEach((staff, count) -> {
            Response page = list(staff, customer);
            assertThat(page.header("X-Total-Count")).isEqualTo(count);
            assertThat(page.jsonPath().getList("id")).hasSize(Integer.parseInt(count));
        });
    }

    private static Response list(String token, String customer) {
        return given().auth().oauth2(token).queryParam("relatedParty.id", customer).when().get(TICKETS)
                .then().statusCode(200).extract().response();
    }

    private static Response patch(String token, String ticketId, String body) {
        return given().auth().oauth2(token).contentType("application/merge-patch+json").body(body)
                .when().patch(TICKETS + "/" + ticketId).andReturn();
    }
}
