package io.unichannel.ticket.desk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.Chromium;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The agent desk in a real headless Chromium: an agent signs in on Keycloak's page, goes
 * available, is offered a complaint as it arrives, accepts it, sees its SLA clocks counting down,
 * works it to resolved with a note; the resolution is on ticket-events, where every channel's
 * progress stream reads it.
 */
@QuarkusTest
class DeskTest {

    @TestHTTPResource("/desk")
    URL desk;

    /** Tickets other test classes left waiting would be offered first. */
    @BeforeEach
    @AfterEach
    void quietFloor() throws Exception {
        io.unichannel.ticket.routing.RoutingFloor.clear();
    }

    @Test
    void anAgentAcceptsAnOfferedTicketAndWorksItToResolvedFromTheDesk() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String region = "dk-" + UUID.randomUUID().toString().substring(0, 8);
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        KeycloakTestSupport.TestUser agent = KeycloakTestSupport.createStaff("agent", region);
        given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("regions", List.of(region), "skills", Map.of("complaint", 2), "seniority", 2,
                        "capacity", Map.of("total", 5)))
                .put("/api/v1/work/agents/" + agent.username()).then().statusCode(200);

        try (Chromium browser = Chromium.open(1280, 900)) {
            browser.signIn(desk.toString(), agent.username(), agent.password(), "presence");
            browser.wait.until(d -> d.findElement(By.id("live")).getText().contains("实时"));
            new Select(browser.driver.findElement(By.id("presence"))).selectByValue("available");
            browser.wait.until(d -> "available".equals(given().auth().oauth2(ops).get("/api/v1/work/overview").then()
                    .extract().jsonPath().getString("agents.find { it.agentId == '" + agent.username() + "' }.presence")));

            String customer = "C-" + UUID.randomUUID();
            UUID requestId = UUID.randomUUID();
            KafkaTestSupport.send(ChannelRequests.record(requestId.toString(), """
                    {"requestId":"%s","channel":"wechat","customerId":"%s","subject":"%s","requestType":"complaint",
                     "description":"宽带提速后网速反而变慢","category":"broadband","severity":"minor",
                     "region":"%s","customerTier":"standard","submittedAt":"%s"}""".formatted(requestId, customer, customer, region,
                    OffsetDateTime.now(ZoneOffset.UTC))));
            String offer = browser.wait.withTimeout(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("[id^='offer-']"))
                    .stream().findFirst().map(e -> e.getAttribute("id").substring("offer-".length())).orElse(null));
            browser.driver.findElement(By.id("accept")).click();
            browser.wait.until(d -> !d.findElements(By.id("t-" + offer)).isEmpty());
            browser.wait.until(d -> d.findElement(By.id("d-title")).getText().contains(offer));
            browser.wait.until(d -> d.findElement(By.id("clock-0")).getText().contains("剩余"));

            new Select(browser.driver.findElement(By.id("status"))).selectByValue("inProgress");
            browser.driver.findElement(By.id("apply")).click();
            browser.wait.until(d -> d.findElement(By.id("d-status")).getText().contains("处理中"));
            new Select(browser.driver.findElement(By.id("status"))).selectByValue("resolved");
            browser.driver.findElement(By.id("reason")).sendKeys("已重新配置光猫并测速达标");
            browser.driver.findElement(By.id("note")).sendKeys("上门检查后更换了网线，客户确认网速恢复。");
            browser.driver.findElement(By.id("apply")).click();
            browser.wait.until(d -> d.findElement(By.id("d-status")).getText().contains("已解决"));

            given().auth().oauth2(ops).get("/tmf-api/troubleTicket/v5/troubleTicket/" + offer).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("resolved"))
                    .body("relatedParty.find { it.role == 'assignee' }.partyOrPartyRole.id", org.hamcrest.Matchers.equalTo(agent.username()))
                    .body("note.text", org.hamcrest.Matchers.hasItem("上门检查后更换了网线，客户确认网速恢复。"));
            var resolved = KafkaTestSupport.readMatching(Topics.TICKET_EVENTS, r -> offer.equals(r.key())
                    && r.value().contains("TroubleTicketResolvedEvent"), 1, Duration.ofSeconds(15));
            assertThat(resolved).hasSize(1);
            assertThat(resolved.get(0).value()).contains(requestId.toString());
        }
    }

    @Test
    void theDeskNeedsASignInAndItsChangesNeedTheDesksOwnHeader() {
        given().redirects().follow(false).get("/desk").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/protocol/openid-connect/auth"));
        given().redirects().follow(false).contentType("application/json").body("{\"presence\":\"available\"}")
                .put("/desk/api/work/presence").then().statusCode(403).contentType("application/problem+json");
        for (String path : List.of("/desk/admin", "/desk/api/work/agents/x", "/desk/" + "x".repeat(300), "/desk/api/troubleTicket/a/b")) {
            given().redirects().follow(false).get(path).then().statusCode(404).contentType("application/problem+json");
        }
    }
}
