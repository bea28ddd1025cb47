package io.unichannel.survey;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.Chromium;
import io.unichannel.common.testing.EventSchemaAssert;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * survey-service on its real database and broker, fed resolutions as ticket-service publishes
 * them: the invitation goes to the customer's channel with the questionnaire of the service type,
 * the survey page is answered in Chromium, a detractor asks for a follow-up, a second resolution
 * inside the contact window sends nothing, an SMS digit is recorded once, a follow-up's
 * re-survey records "fixed", and no hostile answer yields a 5xx.
 */
@QuarkusTest
class SurveyFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private static String ops;

    @BeforeAll
    static void staff() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    /** The invitation notification survey-service asked the gateway to deliver for a ticket. */
    static JsonNode invitationFor(String ticketId) throws Exception {
        List<ConsumerRecord<String, String>> found = KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> r.value() != null && r.value().contains("\"relatedTicketId\":\"" + ticketId + "\""), 1, Duration.ofSeconds(20));
        assertThat(found).as("invitation for " + ticketId).hasSize(1);
        CloudEvent event = EventSchemaAssert.assertValidEvent(found.get(0));
        assertThat(event.type()).isEqualTo(EventTypes.NOTIFICATION_REQUESTED);
        return JSON.readTree(event.data());
    }

    static List<JsonNode> surveyEvents(String type, String invitationId, int expected) throws Exception {
        List<ConsumerRecord<String, String>> found = KafkaTestSupport.readMatching(Topics.SURVEY_EVENTS,
                r -> invitationId.equals(r.key()) && type.equals(header(r, "ce_type")), expected, Duration.ofSeconds(20));
        List<JsonNode> events = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> r : found) {
            events.add(JSON.readTree(EventSchemaAssert.assertValidEvent(r).data()));
        }
        return events;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private List<Map<String, Object>> surveysOf(String ticketId) {
        return given().baseUri(base.toString()).auth().oauth2(ops).queryParam("ticketId", ticketId).get("/api/v1/surveys")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static String tokenOf(JsonNode invitation) {
        String link = invitation.at("/parameters/link").asText();
        return link.substring(link.lastIndexOf('/') + 1);
    }

    @Test
    void aResolvedAppComplaintIsSurveyedOnTheAppAndADetractorAnswerInChromiumAsksForAFollowUp() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        String ticket = "TT-APP-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(ticket, "complaint", "app", customer, "gz-tianhe", "agent-li", null);

        JsonNode invitation = invitationFor(ticket);
        assertThat(invitation.path("channel").asText()).isEqualTo("app");
        assertThat(invitation.path("customerId").asText()).isEqualTo(customer);
        assertThat(invitation.path("template").asText()).isEqualTo("survey-invitation");
        assertThat(invitation.at("/parameters/questionnaireId").asText()).isEqualTo("complaint");
        assertThat(invitation.at("/parameters/link").asText()).contains("/survey/");
        String invitationId = invitation.at("/parameters/invitationId").asText();
        JsonNode sent = surveyEvents(EventTypes.SURVEY_INVITATION_SENT, invitationId, 1).get(0);
        assertThat(sent.path("templateId").asText()).isEqualTo("complaint");
        assertThat(sent.path("serviceType").asText()).isEqualTo("complaint");

        try (Chromium browser = Chromium.open(390, 844)) {
            browser.driver.get(base + "survey/" + tokenOf(invitation));
            browser.wait.until(d -> d.findElement(By.id("title")).getText().contains("投诉"));
            assertThat(browser.driver.findElement(By.id("submit")).isEnabled()).as("nothing answered yet").isFalse();
            assertThat(browser.driver.findElement(By.id("box-why")).isDisplayed()).as("asked only after a low score").isFalse();
            browser.driver.findElement(By.id("q-csat-2")).click();
            browser.wait.until(d -> d.findElement(By.id("box-why")).isDisplayed());
            browser.driver.findElement(By.id("q-thoroughness-2")).click();
            browser.driver.findElement(By.id("q-speed-3")).click();
            browser.driver.findElement(By.id("q-solved-是")).click();
            browser.driver.findElement(By.id("q-fcr-否")).click();
            browser.driver.findElement(By.id("q-nps-3")).click();
            browser.driver.findElement(By.id("q-why")).sendKeys("Refund took three calls, ring me on 13912345678");
            browser.driver.findElement(By.id("submit")).click();
            browser.wait.until(d -> d.findElement(By.id("done")).getText().contains("48小时"));
        }

        JsonNode response = surveyEvents(EventTypes.SURVEY_RESPONSE_RECEIVED, invitationId, 1).get(0);
        assertThat(response.path("csat").asInt()).isEqualTo(2);
        assertThat(response.path("nps").asInt()).isEqualTo(3);
        assertThat(response.path("firstContactResolution").asBoolean()).isFalse();
        assertThat(response.path("comment").asText()).as("phone numbers masked in events")
                .isEqualTo("Refund took three calls, ring me on 139****5678");
        JsonNode followUp = surveyEvents(EventTypes.SURVEY_FOLLOW_UP_REQUESTED, invitationId, 1).get(0);
        assertThat(followUp.path("reason").asText()).isEqualTo("detractor");
        assertThat(followUp.path("ticketId").asText()).isEqualTo(ticket);
        assertThat(java.time.Duration.between(java.time.OffsetDateTime.parse(followUp.path("requestedAt").asText()),
                java.time.OffsetDateTime.parse(followUp.path("actBy").asText()))).isEqualTo(Duration.ofHours(48));

        // One answer per invitation: the link now says so, and a second answer is refused.
        given().baseUri(base.toString()).get("/api/v1/survey-forms/" + tokenOf(invitation)).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("answered"));
        given().baseUri(base.toString()).contentType(ContentType.JSON).body("{\"answers\":{\"csat\":5}}")
                .post("/api/v1/survey-forms/" + tokenOf(invitation)).then().statusCode(409);

        // The follow-up ticket is resolved: the re-survey asks whether it is fixed, and "fixed" is recorded on the original.
        String followUpTicket = "TT-FU-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(followUpTicket, "complaint", "app", customer, "gz-tianhe", "agent-wang", invitationId);
        JsonNode recheck = invitationFor(followUpTicket);
        assertThat(recheck.at("/parameters/purpose").asText()).isEqualTo("verification");
        given().baseUri(base.toString()).contentType(ContentType.JSON).body("{\"answers\":{\"fixed\":true}}")
                .post("/api/v1/survey-forms/" + tokenOf(recheck)).then().statusCode(201).body("followUp", org.hamcrest.Matchers.equalTo(false));
        JsonNode verified = surveyEvents(EventTypes.SURVEY_VERIFICATION_RECORDED, invitationId, 1).get(0);
        assertThat(verified.path("fixed").asBoolean()).isTrue();
        assertThat(verified.path("ticketId").asText()).isEqualTo(ticket);
        assertThat(verified.path("followUpTicketId").asText()).isEqualTo(followUpTicket);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(surveysOf(ticket).get(0).get("fixed")));
    }

    @Test
    void aSecondResolutionInsideTheContactWindowSendsNothingOnAnyChannel() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        String first = "TT-F1-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "TT-F2-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(first, "faultRepair", "hotline", customer, "sz-futian", "agent-zhao", null);
        assertThat(invitationFor(first).path("channel").asText()).isEqualTo("hotline");
        SurveyEvents.resolved(second, "complaint", "wechat", customer, "sz-futian", "agent-zhao", null);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !surveysOf(second).isEmpty());
        Map<String, Object> suppressed = surveysOf(second).get(0);
        assertThat(suppressed.get("status")).isEqualTo("suppressed");
        assertThat(suppressed.get("suppressedReason")).isEqualTo("frequency");
        assertThat(KafkaTestSupport.readMatching(Topics.NOTIFICATIONS,
                r -> r.value() != null && r.value().contains("\"relatedTicketId\":\"" + second + "\""), 1, Duration.ofSeconds(3)))
                .as("no invitation for the second resolution").isEmpty();
    }

    @Test
    void anSmsDigitIsRecordedOnceAndALowOneAsksForAFollowUp() throws Exception {
        String customer = "C-" + UUID.randomUUID();
        String ticket = "TT-SMS-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(ticket, "businessRequest", "sms", customer, "gz-haizhu", "agent-sun", null);
        JsonNode invitation = invitationFor(ticket);
        assertThat(invitation.at("/parameters/smsText").asText()).contains("请回复1-5");
        String invitationId = invitation.at("/parameters/invitationId").asText();
        String question = invitation.at("/parameters/smsQuestionId").asText();
        SurveyEvents.reply("sms:m-" + invitationId, invitationId, "sms", Map.of(question, "1"));
        SurveyEvents.reply("sms:m-" + invitationId, invitationId, "sms", Map.of(question, "1"));
        SurveyEvents.reply("sms:m2-" + invitationId, invitationId, "sms", Map.of(question, "5"));
        JsonNode response = surveyEvents(EventTypes.SURVEY_RESPONSE_RECEIVED, invitationId, 1).get(0);
        assertThat(response.path("csat").asInt()).isEqualTo(1);
        assertThat(surveyEvents(EventTypes.SURVEY_RESPONSE_RECEIVED, invitationId, 2)).as("one answer per invitation").hasSize(1);
        assertThat(surveyEvents(EventTypes.SURVEY_FOLLOW_UP_REQUESTED, invitationId, 1).get(0).path("reason").asText())
                .isEqualTo("dissatisfied");
    }

    @Test
    void hostileAnswersOnTheSurveyPageGetA4xxAndChangeNothing() throws Exception {
        String ticket = "TT-HOST-" + UUID.randomUUID().toString().substring(0, 8);
        SurveyEvents.resolved(ticket, "consultation", "web", "C-" + UUID.randomUUID(), "gz-tianhe", "agent-li", null);
        String token = tokenOf(invitationFor(ticket));
        String good = "{\"csat\":4,\"fcr\":true,\"nps\":9}";
        List<HostilePayloads.Variant> variants = new java.util.ArrayList<>(
                HostilePayloads.of("{\"answers\":" + good + "}", List.of("answers"), 40, 14L));
        for (HostilePayloads.Variant v : HostilePayloads.of(good, List.of("csat", "nps"), 120, 15L)) {
            boolean json = true;
            try {
                JSON.readTree(v.payload());
            } catch (Exception e) {
                json = false;
            }
            variants.add(new HostilePayloads.Variant("answers " + v.description(),
                    json ? "{\"answers\":" + v.payload() + "}" : v.payload()));
        }
        variants.add(new HostilePayloads.Variant("a score out of range", "{\"answers\":{\"csat\":6,\"fcr\":true,\"nps\":9}}"));
        variants.add(new HostilePayloads.Variant("an unknown question", "{\"answers\":{\"csat\":4,\"fcr\":true,\"nps\":9,\"x\":1}}"));
        variants.add(new HostilePayloads.Variant("a required one missing", "{\"answers\":{\"csat\":4,\"nps\":9}}"));
        for (HostilePayloads.Variant v : variants) {
            int status = given().baseUri(base.toString()).contentType(ContentType.JSON).body(v.payload())
                    .post("/api/v1/survey-forms/" + token).then().extract().statusCode();
            assertThat(status).as(v.description()).isBetween(400, 499);
        }
        given().baseUri(base.toString()).get("/api/v1/survey-forms/" + token).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("open"));
        given().baseUri(base.toString()).get("/api/v1/survey-forms/AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404);
        given().baseUri(base.toString()).get("/api/v1/survey-forms/' OR 1=1 --").then().statusCode(404);
        given().baseUri(base.toString()).contentType(ContentType.JSON).body("{\"answers\":" + good + "}")
                .post("/api/v1/survey-forms/" + token).then().statusCode(201);
    }
}
