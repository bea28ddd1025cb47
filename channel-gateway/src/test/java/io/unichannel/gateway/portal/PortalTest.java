package io.unichannel.gateway.portal;

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
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.Chromium;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The customer portal in a real headless Chromium at a phone's size: the customer signs in on
 * Keycloak's page, submits a request, sees it listed, and watches it change live when
 * ticket-service acknowledges it with a promised time; the APP sees the same request.
 */
@QuarkusTest
class PortalTest {

    @TestHTTPResource("/portal")
    URL portal;

    private Chromium browser;

    @BeforeEach
    void chromium() throws Exception {
        browser = Chromium.open();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aCustomerSignsInSubmitsAndFollowsTheirRequestLive() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        TestUser customer = KeycloakTestSupport.createUser("customer");
        WebDriverWait wait = browser.wait;
        browser.signIn(portal.toString(), customer.username(), customer.password());
        Object list = browser.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "fetch('/portal/api/requests').then(function (r) { return r.text().then(function (t) { done(r.status + ' ' + t); }); })"
                + ".catch(function (e) { done('failed ' + e); });");
        assertThat(String.valueOf(list)).as("the page's own call for the request list").startsWith("200 ");
        wait.until(d -> d.findElement(By.id("live")).getText().contains("实时"));

        browser.driver.findElement(By.id("requestType")).sendKeys("投诉");
        browser.driver.findElement(By.id("description")).sendKeys("宽带每晚九点后掉线");
        browser.driver.findElement(By.id("send")).click();
        WebElement item = wait.until(d -> d.findElements(By.cssSelector("#requests li[id^='r-']")).stream().findFirst().orElse(null));
        String requestId = item.getAttribute("id").substring(2);
        assertThat(item.findElement(By.className("status")).getText()).isEqualTo("已提交");

        // ticket-service acknowledges it with a promise: the page changes without a reload.
        String expectedBy = OffsetDateTime.now(ZoneOffset.UTC).plusHours(48).withNano(0).toString();
        String ticketId = "TT-PORTAL-" + requestId.substring(0, 8);
        String event = """
                {"eventId":"%s","eventTime":"%s","eventType":"TroubleTicketCreateEvent","correlationId":"%s",\
                "sequence":1,"event":{"troubleTicket":{"id":"%s","status":"acknowledged","channel":{"name":"web"},\
                "expectedResolutionDate":"%s",\
                "relatedParty":[{"id":"%s","role":"customer","@referredType":"Customer"}]}}}"""
                .formatted(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), requestId, ticketId, expectedBy, customer.id());
        KafkaTestSupport.send(CloudEventRecords.toRecord(Topics.TICKET_EVENTS, ticketId, new CloudEvent(UUID.randomUUID().toString(),
                Topics.TICKET_SERVICE, EventTypes.TROUBLE_TICKET_CREATE, ticketId, OffsetDateTime.now(ZoneOffset.UTC), event)));
        wait.until(d -> "已受理".equals(d.findElement(By.id("r-" + requestId)).findElement(By.className("status")).getText()));
        String promise = browser.driver.findElement(By.id("r-" + requestId)).findElement(By.className("expected")).getText();
        System.out.printf("Portal shows: %s%n", browser.driver.findElement(By.id("r-" + requestId)).getText().replace('\n', ' '));

        // The same request on the APP, from the same view.
        String app = KeycloakTestSupport.passwordToken("channel-app", customer);
        List<Map<String, Object>> onApp = given().auth().oauth2(app).get("/api/v1/requests").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(onApp).anySatisfy(r -> {
            assertThat(r.get("requestId")).isEqualTo(requestId);
            assertThat(r.get("channel")).isEqualTo("web");
        });
        assertThat(promise).as("the promised time the ticket carried").contains("预计").contains("前处理");
    }

    @Test
    void thePortalNeedsASignInAndItsChangesNeedThePortalsOwnHeader() {
        given().redirects().follow(false).get("/portal").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/protocol/openid-connect/auth"));
        given().redirects().follow(false).contentType("application/json").body("{}").post("/portal/api/requests")
                .then().statusCode(403).contentType("application/problem+json");
        // Whatever path a caller makes up, the answer is a sign-on redirect or a problem, never a bare error page.
        for (String segment : java.util.List.of("x".repeat(3000), "%ED%A0%80", "%00", "..%2F..%2Fetc", "%E2%80%AE", "-1",
                "%F0%9F%98%80", "'%20OR%201=1--", "99999999999999999999")) {
            var answer = given().redirects().follow(false).urlEncodingEnabled(false)
                    .auth().oauth2(KeycloakTestSupport.passwordToken("channel-web", KeycloakTestSupport.createUser("customer")))
                    .get("/portal/api/requests/" + segment + "/events");
            if (answer.statusCode() / 100 != 3) {
                assertThat(answer.statusCode()).as(segment.length() > 20 ? "long path" : segment).isBetween(400, 499);
                assertThat(answer.contentType()).as(segment.length() > 20 ? "long path" : segment)
                        .startsWith("application/problem+json");
            }
        }
    }
}
