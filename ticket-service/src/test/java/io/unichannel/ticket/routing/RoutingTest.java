package io.unichannel.ticket.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing with a policy of second-long timeouts: a gold customer's complaint goes to a senior
 * complaint agent of the customer's region; an offer nobody accepts lapses, the target widens and
 * a declined offer goes to the next candidate; an agent at capacity gets nothing more; a ticket
 * nobody takes escalates at its limit; every decision lists its candidates and factors.
 */
@QuarkusTest
@TestProfile(RoutingTest.ShortTimeouts.class)
class RoutingTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticket.routing.policies-file", "src/test/resources/routing-policies-test.json",
                    "ticket.routing.recheck", "1s");
        }
    }

    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static String ops;

    @BeforeAll
    static void signIn() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    /** Tickets other test classes left unowned, and agents they left available, would compete with this class's. */
    @BeforeEach
    @AfterEach
    void quietFloor() throws Exception {
        io.unichannel.ticket.routing.RoutingFloor.clear();
    }

    /** An agent of a region with a routing profile, available; their token. */
    private record Staff(String name, String token) {
    }

    private static Staff agent(String region, Map<String, Integer> skills, int seniority, int capacity) {
        KeycloakTestSupport.TestUser user = KeycloakTestSupport.createStaff("agent", region);
        given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("regions", List.of(region), "skills", skills, "seniority", seniority,
                        "capacity", Map.of("total", capacity)))
                .put("/api/v1/work/agents/" + user.username()).then().statusCode(200);
        String token = KeycloakTestSupport.passwordToken("staff-console", user);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("presence", "available"))
                .put("/api/v1/work/presence").then().statusCode(200);
        return new Staff(user.username(), token);
    }

    private static String region() {
        return "rt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Submits a complaint of a customer of this tier in this region and waits for its ticket. */
    private static String complaint(String region, String tier) {
        String customer = "C-" + UUID.randomUUID();
        UUID requestId = UUID.randomUUID();
        String payload = """
                {"requestId":"%s","channel":"app","customerId":"%s","subject":"%s","requestType":"complaint",
                 "description":"Billed twice for the same month","category":"billing","severity":"minor",
                 "region":"%s","customerTier":"%s","submittedAt":"%s"}""".formatted(requestId, customer, customer, region, tier,
                OffsetDateTime.now(ZoneOffset.UTC));
        KafkaTestSupport.send(ChannelRequests.record(requestId.toString(), payload));
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(
                () -> given().auth().oauth2(ops).queryParam("relatedParty.id", customer).get(TICKETS)
                        .then().statusCode(200).extract().jsonPath().<String>getList("id"), ids -> !ids.isEmpty()).get(0);
    }

    private static String offerOf(Staff staff) {
        return given().auth().oauth2(staff.token()).get("/api/v1/work/queue").then().statusCode(200).extract().path("offer.ticketId");
    }

    private static List<Map<String, Object>> decisions(String ticketId) {
        return given().auth().oauth2(ops).get("/api/v1/work/tickets/" + ticketId + "/routing").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    private static JsonPath decisionLog(String ticketId) {
        return given().auth().oauth2(ops).get("/api/v1/work/tickets/" + ticketId + "/routing").then().statusCode(200)
                .extract().jsonPath();
    }

    private static List<String> outcomes(String ticketId) {
        return decisions(ticketId).stream().map(d -> d.get("outcome") + ":" + d.get("agent")).toList();
    }

    @Test
    void aGoldComplaintGoesToASeniorComplaintAgentOfTheCustomersRegionAndTheDecisionListsItsFactors() {
        String region = region();
        Staff senior = agent(region, Map.of("complaint", 3), 3, 5);
        Staff junior = agent(region, Map.of("complaint", 3), 1, 5);
        Staff elsewhere = agent(region(), Map.of("complaint", 3), 3, 5);
        Staff repairs = agent(region, Map.of("faultRepair", 3), 3, 5);

        String ticket = complaint(region, "gold");
        await().atMost(Duration.ofSeconds(10)).until(() -> ticket.equals(offerOf(senior)));
        for (Staff other : List.of(junior, elsewhere, repairs)) {
            assertThat(offerOf(other)).isNull();
        }
        JsonPath offered = decisionLog(ticket);
        assertThat(offered.getString("[0].outcome")).isEqualTo("offered");
        assertThat(offered.getString("[0].agent")).isEqualTo(senior.name());
        assertThat(offered.getString("[0].target")).isEqualTo("senior-in-region");
        assertThat(offered.getString("[0].policyVersion")).isEqualTo("test-1");
        assertThat(offered.getList("[0].considered.candidates.agent")).containsExactly(senior.name());
        assertThat(offered.<String, Object>getMap("[0].considered.candidates[0].factors"))
                .containsKeys("skillLevel", "seniorityForHighValue", "load", "idle");
        assertThat(offered.<String, Object>getMap("[0].considered.excluded")).containsEntry("not senior enough", 1)
                .containsEntry("lacks the skill", 1).containsKey("another region");

        given().auth().oauth2(senior.token()).post("/api/v1/work/offers/" + ticket + "/accept").then().statusCode(200);
        given().auth().oauth2(ops).get(TICKETS + "/" + ticket).then().statusCode(200)
                .body("relatedParty.find { it.role == 'assignee' }.partyOrPartyRole.id", org.hamcrest.Matchers.equalTo(senior.name()));
        given().auth().oauth2(senior.token()).get("/api/v1/work/queue").then().statusCode(200)
                .body("assigned.id", org.hamcrest.Matchers.hasItem(ticket));
        // Taken: nobody else can accept or decline it.
        given().auth().oauth2(junior.token()).post("/api/v1/work/offers/" + ticket + "/accept").then().statusCode(409);
        var routed = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS, r -> ticket.equals(r.key())
                && r.value().contains("TroubleTicketRoutedEvent"), 2, Duration.ofSeconds(15));
        assertThat(routed).hasSize(2);
        routed.forEach(io.unichannel.common.testing.EventSchemaAssert::assertValidEvent);

        // The senior hands it to a colleague: offered to them at once; to someone not available, refused.
        given().auth().oauth2(senior.token()).contentType(ContentType.JSON).body(Map.of("agent", elsewhere.name() + "-nobody"))
                .post("/api/v1/work/tickets/" + ticket + "/transfer").then().statusCode(409);
        given().auth().oauth2(junior.token()).contentType(ContentType.JSON).body(Map.of("agent", senior.name()))
                .post("/api/v1/work/tickets/" + ticket + "/transfer").then().statusCode(409);
        given().auth().oauth2(senior.token()).contentType(ContentType.JSON).body(Map.of("agent", junior.name()))
                .post("/api/v1/work/tickets/" + ticket + "/transfer").then().statusCode(200);
        assertThat(offerOf(junior)).isEqualTo(ticket);
        given().auth().oauth2(junior.token()).post("/api/v1/work/offers/" + ticket + "/accept").then().statusCode(200);
        assertThat(outcomes(ticket)).containsSubsequence("offered:" + senior.name(), "accepted:" + senior.name(),
                "transferred:" + junior.name(), "accepted:" + junior.name());
    }

    @Test
    void anOfferNobodyAcceptsLapsesTheTargetWidensAndADeclinedOfferGoesToTheNextCandidate() {
        String region = region();
        Staff senior = agent(region, Map.of("complaint", 2), 3, 5);
        Staff first = agent(region, Map.of("complaint", 3), 1, 5);
        Staff second = agent(region, Map.of("complaint", 1), 1, 5);

        String ticket = complaint(region, "platinum");
        await().atMost(Duration.ofSeconds(10)).until(() -> ticket.equals(offerOf(senior)));
        // The senior lets it lapse; after the senior target's time the region's skilled agents are asked,
        // the most skilled first.
        await().atMost(Duration.ofSeconds(15)).until(() -> ticket.equals(offerOf(first)));
        given().auth().oauth2(first.token()).post("/api/v1/work/offers/" + ticket + "/decline").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> ticket.equals(offerOf(second)));
        assertThat(outcomes(ticket)).containsSubsequence("offered:" + senior.name(), "expired:" + senior.name(),
                "widened:null", "offered:" + first.name(), "declined:" + first.name(), "offered:" + second.name());
        given().auth().oauth2(second.token()).post("/api/v1/work/offers/" + ticket + "/accept").then().statusCode(200);
    }

    @Test
    void anAgentAtCapacityGetsNothingMoreAndNothingStaysUnownedPastItsLimit() {
        String region = region();
        Staff only = agent(region, Map.of("complaint", 2), 2, 1);
        String first = complaint(region, "standard");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.equals(offerOf(only)));
        given().auth().oauth2(only.token()).post("/api/v1/work/offers/" + first + "/accept").then().statusCode(200);

        String second = complaint(region, "standard");
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes(second).contains("no-candidate:null"));
        assertThat(decisionLog(second).<String, Object>getMap("[0].considered.excluded")).containsEntry("at capacity", 1);
        assertThat(offerOf(only)).isNull();

        // Nobody takes it within its limit (12 s here): it escalates, its priority rises, the region's supervisors hear.
        await().atMost(Duration.ofSeconds(25)).until(() -> outcomes(second).contains("escalated:null"));
        given().auth().oauth2(ops).get(TICKETS + "/" + second).then().statusCode(200)
                .body("priority", org.hamcrest.Matchers.equalTo("high"));
        assertThat(KafkaTestSupport.readMatching(Topics.NOTIFICATIONS, r -> r.value().contains("routing-unowned")
                && r.value().contains(second) && r.value().contains("supervisors:" + region), 1, Duration.ofSeconds(15))).hasSize(1);

        // The supervisor's overview: the waiting ticket and the full agent.
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", region));
        var overview = given().auth().oauth2(supervisor).get("/api/v1/work/overview").then().statusCode(200).extract().jsonPath();
        assertThat(overview.getList("agents.agentId")).containsExactly(only.name());
        assertThat(overview.<Integer>getList("agents.load")).containsExactly(1);
        assertThat(overview.<Integer>getList("queues.escalated")).containsExactly(1);
    }

    @Test
    void anAgentPullsTheMostUrgentTicketTheyMayTakeAndHandsOneToAnotherQueue() {
        String region = region();
        Staff puller = agent(region, Map.of("complaint", 2), 2, 5);
        given().auth().oauth2(puller.token()).contentType(ContentType.JSON).body(Map.of("presence", "busy"))
                .put("/api/v1/work/presence").then().statusCode(200);
        Staff repairs = agent(region, Map.of("faultRepair", 2), 2, 5);
        String first = complaint(region, "standard");
        String second = complaint(region, "standard");
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes(second).contains("no-candidate:null"));

        String pulled = given().auth().oauth2(puller.token()).post("/api/v1/work/next").then().statusCode(200).extract().path("id");
        assertThat(pulled).isEqualTo(first);
        assertThat(given().auth().oauth2(puller.token()).post("/api/v1/work/next").then().statusCode(200)
                .extract().<String>path("id")).isEqualTo(second);
        given().auth().oauth2(puller.token()).post("/api/v1/work/next").then().statusCode(204);
        assertThat(outcomes(first)).contains("pulled:" + puller.name());

        // Not a complaint after all: handed to the fault desk's queue, where the repair agent is offered it.
        given().auth().oauth2(puller.token()).contentType(ContentType.JSON).body(Map.of("queue", "faults"))
                .post("/api/v1/work/tickets/" + first + "/transfer").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.equals(offerOf(repairs)));
        assertThat(outcomes(first)).containsSubsequence("pulled:" + puller.name(), "transferred:null", "offered:" + repairs.name());
        given().auth().oauth2(puller.token()).contentType(ContentType.JSON).body(Map.of("queue", "no-such-queue"))
                .post("/api/v1/work/tickets/" + second + "/transfer").then().statusCode(400);
        given().auth().oauth2(puller.token()).contentType(ContentType.JSON).body(Map.of("agent", repairs.name(), "queue", "faults"))
                .post("/api/v1/work/tickets/" + second + "/transfer").then().statusCode(400);
    }

    @Test
    void hostileProfilesAndPresencesChangeNothingAndASupervisorStaysInTheirRegion() {
        String region = region();
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", region));
        KeycloakTestSupport.TestUser user = KeycloakTestSupport.createStaff("agent", region);
        given().auth().oauth2(supervisor).contentType(ContentType.JSON)
                .body(Map.of("regions", List.of(region()), "skills", Map.of("complaint", 2), "seniority", 2,
                        "capacity", Map.of("total", 3)))
                .put("/api/v1/work/agents/" + user.username()).then().statusCode(403);
        long seed = System.nanoTime();
        String good = "{\"regions\":[\"" + region + "\"],\"skills\":{\"complaint\":2},\"seniority\":2,\"capacity\":{\"total\":3}}";
        List<Integer> statuses = new ArrayList<>();
        for (HostilePayloads.Variant variant : HostilePayloads.of(good, List.of("regions", "skills", "seniority", "capacity"), 50, seed)) {
            int status = given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(variant.payload())
                    .put("/api/v1/work/agents/" + user.username()).then().extract().statusCode();
            assertThat(status).as("%s (seed %d)", variant.description(), seed).isBetween(400, 499);
            statuses.add(status);
        }
        String token = KeycloakTestSupport.passwordToken("staff-console", user);
        // No profile was made by any of them: presence has nothing to set.
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("presence", "available"))
                .put("/api/v1/work/presence").then().statusCode(404);
        for (String body : List.of("{\"presence\":\"sleeping\"}", "{}", "[]", "{\"presence\":1}", "null")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(body).put("/api/v1/work/presence")
                    .then().statusCode(org.hamcrest.Matchers.both(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                            .and(org.hamcrest.Matchers.lessThan(500)));
        }
        assertThat(statuses).isNotEmpty();
    }
}
