package io.unichannel.survey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.Test;

/**
 * CSAT, NPS and FCR over a generated set of answers, given through the survey page's API, equal
 * the values computed by hand from the same answers; per agent, with the staff band; a
 * supervisor sees only their region.
 */
@QuarkusTest
class SurveyMeasuresTest {

    @TestHTTPResource("/")
    URI base;

    private record Given(String agent, int csat, int nps, boolean fcr) {
    }

    @Test
    void measuresOverGeneratedAnswersEqualHandComputedValues() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String region = "m-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(20261130L);
        List<String> agents = List.of("agent-a", "agent-b", "agent-c");
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            String ticket = "TT-M-" + UUID.randomUUID().toString().substring(0, 12);
            tickets.add(ticket);
            SurveyEvents.resolved(ticket, "consultation", "web", "C-" + UUID.randomUUID(), region, agents.get(i % 3), null);
        }
        // Every invitation of the region's tickets, read in one pass.
        Map<String, String> links = new HashMap<>();
        for (var record : io.unichannel.common.testing.KafkaTestSupport.readMatching(io.unichannel.common.events.Topics.NOTIFICATIONS,
                r -> r.value() != null && tickets.stream().anyMatch(t -> r.value().contains("\"relatedTicketId\":\"" + t + "\"")),
                tickets.size(), Duration.ofSeconds(30))) {
            JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    io.unichannel.common.testing.EventSchemaAssert.assertValidEvent(record).data());
            links.put(data.path("relatedTicketId").asText(), data.at("/parameters/link").asText());
        }
        assertThat(links).hasSize(tickets.size());
        List<Given> answers = new ArrayList<>();
        for (String ticket : tickets) {
            String link = links.get(ticket);
            String agent = agents.get(tickets.indexOf(ticket) % 3);
            Given g = new Given(agent, 1 + random.nextInt(5), random.nextInt(11), random.nextInt(3) > 0);
            answers.add(g);
            given().baseUri(base.toString()).contentType(ContentType.JSON)
                    .body(Map.of("answers", Map.of("csat", g.csat(), "nps", g.nps(), "fcr", g.fcr())))
                    .post("/api/v1/survey-forms/" + link.substring(link.lastIndexOf('/') + 1)).then().statusCode(201);
        }

        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        JsonPath all = given().baseUri(base.toString()).auth().oauth2(ops).queryParam("groupBy", "agent").queryParam("region", region)
                .get("/api/v1/survey-measures").then().statusCode(200).extract().jsonPath();
        Map<String, List<Given>> byAgent = new HashMap<>();
        answers.forEach(g -> byAgent.computeIfAbsent(g.agent(), a -> new ArrayList<>()).add(g));
        assertThat(all.getList("groups")).hasSize(3);
        for (String agent : agents) {
            List<Given> mine = byAgent.get(agent);
            double csat = round(100.0 * mine.stream().filter(g -> g.csat() >= 4).count() / mine.size());
            double nps = round(100.0 * (mine.stream().filter(g -> g.nps() >= 9).count() - mine.stream().filter(g -> g.nps() <= 6).count())
                    / mine.size());
            double fcr = round(100.0 * mine.stream().filter(Given::fcr).count() / mine.size());
            String prefix = "groups.find { it.group == '" + agent + "' }.";
            assertThat(all.getLong(prefix + "responses")).isEqualTo(mine.size());
            assertThat(all.getDouble(prefix + "csat")).as("CSAT of " + agent).isEqualTo(csat);
            assertThat(all.getDouble(prefix + "nps")).as("NPS of " + agent).isEqualTo(nps);
            assertThat(all.getDouble(prefix + "fcr")).as("FCR of " + agent).isEqualTo(fcr);
            assertThat(all.getString(prefix + "band")).isEqualTo(csat >= 85 ? "excellent" : csat >= 70 ? "qualified" : "needsImprovement");
        }

        // A supervisor of another region sees none of these answers, and may not ask for them.
        String supervisor = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("supervisor", "elsewhere"));
        given().baseUri(base.toString()).auth().oauth2(supervisor).queryParam("region", region).get("/api/v1/survey-measures")
                .then().statusCode(403);
        assertThat(given().baseUri(base.toString()).auth().oauth2(supervisor).get("/api/v1/survey-measures").then().statusCode(200)
                .extract().jsonPath().getList("groups")).isEmpty();
        given().baseUri(base.toString()).get("/api/v1/survey-measures").then().statusCode(401);
        given().baseUri(base.toString()).auth().oauth2(ops).queryParam("groupBy", "'; drop table x").get("/api/v1/survey-measures")
                .then().statusCode(400);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
