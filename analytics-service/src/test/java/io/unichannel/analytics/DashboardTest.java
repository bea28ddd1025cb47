package io.unichannel.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.testing.Chromium;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard in a real headless Chromium: a supervisor signs in on Keycloak's page, sees their
 * region's live KPIs change within seconds of a new ticket, drills down from the number to that
 * ticket, and the hourly trend is drawn.
 */
@QuarkusTest
class DashboardTest {

    @TestHTTPResource("/dashboard")
    URL dashboard;

    @Test
    void aSupervisorSeesAKpiChangeLiveAfterANewTicketAndDrillsDownToIt() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String region = "db-" + UUID.randomUUID().toString().substring(0, 8);
        KeycloakTestSupport.TestUser supervisor = KeycloakTestSupport.createStaff("supervisor", region);
        try (Chromium browser = Chromium.open(1280, 900)) {
            browser.signIn(dashboard.toString(), supervisor.username(), supervisor.password(), "value-backlog");
            browser.wait.until(d -> d.findElement(By.id("scope")).getText().contains(region));
            assertThat(browser.driver.findElement(By.id("value-backlog")).getText()).isIn("—", "0");

            String ticket = "TT-DB-" + UUID.randomUUID().toString().substring(0, 8);
            Instant now = Instant.now();
            AnalyticsEvents.ticket(EventTypes.TROUBLE_TICKET_CREATE, ticket, 1, "complaint", "wechat", region, "C-" + ticket, null,
                    now, new ArrayList<>(List.of(AnalyticsEvents.status("acknowledged", now))), null, null);
            browser.wait.withTimeout(Duration.ofSeconds(20)).until(d -> "1".equals(d.findElement(By.id("value-backlog")).getText()));
            assertThat(browser.driver.findElement(By.id("value-complaintRate")).getText()).isEqualTo("100.0%");

            browser.driver.findElement(By.id("kpi-backlog")).click();
            browser.wait.until(d -> !d.findElements(By.id("tk-" + ticket)).isEmpty());
            assertThat(browser.driver.findElement(By.id("tk-" + ticket)).getText()).contains("投诉").contains("wechat").contains(region);
            assertThat(browser.driver.findElements(By.cssSelector("#trend canvas"))).as("the trend is drawn").isNotEmpty();
            // The complaint (no category) counts on this month's pain-point list, at complaint handling.
            browser.wait.until(d -> !d.findElements(By.id("pp-complaintHandling-complaint-management")).isEmpty());
            assertThat(browser.driver.findElement(By.id("pp-complaintHandling-complaint-management")).getText())
                    .contains("投诉处理").contains("complaint-management");
        }
    }

    @Test
    void theDashboardNeedsASignInAndHasOnlyItsOwnPaths() {
        given().redirects().follow(false).get("/dashboard").then().statusCode(302);
        for (String path : List.of("/dashboard/admin", "/dashboard/api/kpis/x", "/dashboard/" + "x".repeat(300))) {
            given().redirects().follow(false).get(path).then().statusCode(404).contentType("application/problem+json");
        }
        String agent = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "gz"));
        // The drill-down API keeps the KPIs' scope: an agent sees their own tickets, not a colleague's.
        given().auth().oauth2(agent).get("/api/v1/kpi-tickets?kpi=backlog&agent=someone-else").then().statusCode(403)
                .contentType("application/problem+json");
    }
}
