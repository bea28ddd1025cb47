package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.unichannel.common.testing.ChannelRequests;
import io.unichannel.common.testing.Chromium;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * Satisfaction surveys end to end, on packaged services (identity-service, ticket-service,
 * channel-gateway, survey-service) with the operator's push provider, SMS platform and CTI on
 * loopback: a complaint made on the APP is surveyed on the APP with the complaint questionnaire
 * and answered in Chromium by a detractor, which opens a follow-up ticket whose resolution brings
 * the re-survey that records "fixed"; a hotline fault repair is surveyed by an IVR call answered
 * with keys; an SMS customer answers by replying a digit; a second resolution within the contact
 * window sends nothing on any channel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SurveyJourneysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";
    private static final String SMS_SECRET = "local-only-sms-webhook-secret";
    private static final String CTI_SECRET = "local-only-cti-webhook-secret";

    private OperatorSystemsStub operator;
    private ServiceProcess identity;
    private ServiceProcess tickets;
    private ServiceProcess gateway;
    private ServiceProcess surveys;
    private String ops;

    @BeforeAll
    void start() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        operator = new OperatorSystemsStub();
        ScaleDeployment deployment = ScaleDeployment.fresh("surveys");
        identity = ServiceProcess.identityService();
        tickets = ServiceProcess.of("ticket-service", deployment.ticketSettings());
        Map<String, String> gatewaySettings = new HashMap<>(deployment.gatewaySettings());
        gatewaySettings.putAll(operator.gatewaySettings());
        gatewaySettings.put("IDENTITY_URL", identity.baseUrl());
        gateway = ServiceProcess.of("channel-gateway", gatewaySettings);
        Map<String, String> surveySettings = ScaleDeployment.surveySettings("journeys");
        surveys = ServiceProcess.of("survey-service", surveySettings);
        surveySettings.put("SURVEY_PAGE_URL", surveys.baseUrl() + "/survey/");
        ServiceProcess.startAll(List.of(identity, tickets, gateway, surveys));
        ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            // After every journey: the services export every metric the dashboards and alerts read.
            MetricsCatalogue.assertExportedBy("identity-service", identity.baseUrl());
            MetricsCatalogue.assertExportedBy("survey-service", surveys.baseUrl());
            MetricsCatalogue.assertExportedBy("channel-gateway", gateway.baseUrl());
        } finally {
            stopAll();
        }
    }

    private void stopAll() {
        for (AutoCloseable part : new AutoCloseable[] {surveys, gateway, tickets, identity, operator}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // the next part is still stopped
            }
        }
    }

    private record Customer(String id, String msisdn, String appToken) {
    }

    private Customer register(String preferred) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "135" + String.format("%08d", new Random().nextInt(100_000_000));
        String password = "Pw-" + suffix + "-sv";
        String id = given().baseUri(identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Survey " + suffix, "msisdn", msisdn, "preferredChannel", preferred, "region", "gz-tianhe",
                        "appAccount", "sv-" + suffix, "password", password))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        String token = KeycloakTestSupport.passwordToken("channel-app",
                new KeycloakTestSupport.TestUser(null, "sv-" + suffix, password));
        return new Customer(id, msisdn, token);
    }

    /** Opens a request for the customer on a channel (as that channel's adapter submits it) and returns its ticket. */
    private String ticketOf(Customer customer, String type, String channel) {
        int before = given().baseUri(tickets.baseUrl()).auth().oauth2(ops).queryParam("relatedParty.id", customer.id())
                .get(TICKETS).then().statusCode(200).extract().jsonPath().getList("$").size();
        KafkaTestSupport.send(ChannelRequests.submitted(UUID.randomUUID(), customer.id(), type, "gz-tianhe", "minor", channel));
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().baseUri(tickets.baseUrl()).auth().oauth2(ops).queryParam("relatedParty.id", customer.id())
                        .get(TICKETS).then().statusCode(200).extract().jsonPath()
                        .getList("id", String.class), ids -> ids.size() > before)
                .stream().filter(id -> !knownTickets.contains(id)).findFirst().map(id -> {
                    knownTickets.add(id);
                    return id;
                }).orElseThrow();
    }

    private final java.util.Set<String> knownTickets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void resolve(String ticketId) {
        for (String change : List.of("{\"status\":\"inProgress\"}", "{\"status\":\"resolved\",\"statusChangeReason\":\"Done\"}")) {
            given().baseUri(tickets.baseUrl()).auth().oauth2(ops).contentType("application/merge-patch+json").body(change)
                    .patch(TICKETS + "/" + ticketId).then().statusCode(200);
        }
    }

    private List<Map<String, Object>> surveysOf(String ticketId) {
        return given().baseUri(surveys.baseUrl()).auth().oauth2(ops).queryParam("ticketId", ticketId).get("/api/v1/surveys")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private Map<String, Object> awaitSurvey(String ticketId, java.util.function.Predicate<Map<String, Object>> state) {
        return Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
                .until(() -> surveysOf(ticketId), list -> !list.isEmpty() && state.test(list.get(0))).get(0);
    }

    /** The next survey push to the APP (resolution notices go to the APP too; they carry no survey). */
    private JsonNode surveyPush() throws Exception {
        Instant deadline = Instant.now().plusSeconds(40);
        while (Instant.now().isBefore(deadline)) {
            String push = operator.pushes.poll(1, TimeUnit.SECONDS);
            if (push != null && push.contains("survey")) {
                return JSON.readTree(push);
            }
        }
        throw new AssertionError("no survey push within 40 s");
    }

    @Test
    void aResolvedAppComplaintIsSurveyedOnTheAppAndADetractorsFollowUpIsVerifiedFixed() throws Exception {
        Customer customer = register("app");
        given().baseUri(gateway.baseUrl()).auth().oauth2(customer.appToken()).contentType(ContentType.JSON)
                .body(Map.of("platform", "android", "pushToken", "e2e-device-" + UUID.randomUUID(), "appVersion", "5.2.0"))
                .post("/api/v1/devices").then().statusCode(201);
        String ticket = ticketOf(customer, "complaint", "app");
        resolve(ticket);

        JsonNode push = surveyPush();
        String link = push.at("/message/android/notification/click_action/intent").asText();
        assertThat(link).startsWith(surveys.baseUrl() + "/survey/");
        assertThat(awaitSurvey(ticket, s -> "sent".equals(s.get("status")))).containsEntry("channel", "app")
                .containsEntry("questionnaireId", "complaint");

        try (Chromium browser = Chromium.open(390, 844)) {
            browser.driver.get(link);
            browser.wait.until(d -> d.findElement(By.id("title")).getText().contains("投诉"));
            browser.driver.findElement(By.id("q-csat-3")).click();
            browser.driver.findElement(By.id("q-thoroughness-3")).click();
            browser.driver.findElement(By.id("q-speed-2")).click();
            browser.driver.findElement(By.id("q-solved-是")).click();
            browser.driver.findElement(By.id("q-fcr-否")).click();
            browser.driver.findElement(By.id("q-nps-4")).click();
            browser.driver.findElement(By.id("submit")).click();
            browser.wait.until(d -> d.findElement(By.id("done")).getText().contains("48小时"));
        }
        assertThat(awaitSurvey(ticket, s -> "answered".equals(s.get("status")))).containsEntry("followUpReason", "detractor")
                .containsEntry("nps", 4);

        // ticket-service opened the follow-up, linked to the complaint; an agent resolves it.
        String followUp = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().baseUri(tickets.baseUrl()).auth().oauth2(ops).queryParam("relatedParty.id", customer.id())
                        .get(TICKETS).then().statusCode(200).extract().jsonPath().getList("id", String.class)
                        .stream().filter(id -> !id.equals(ticket)).findFirst(), java.util.Optional::isPresent).get();
        assertThat(given().baseUri(tickets.baseUrl()).auth().oauth2(ops).get(TICKETS + "/" + followUp).then().statusCode(200)
                .extract().jsonPath().getString("troubleTicketRelationship[0].id")).isEqualTo(ticket);
        knownTickets.add(followUp);
        resolve(followUp);

        // The re-survey comes on the APP too; the customer says it is fixed; the original survey records it.
        String recheck = surveyPush().at("/message/android/notification/click_action/intent").asText();
        String token = recheck.substring(recheck.lastIndexOf('/') + 1);
        given().baseUri(surveys.baseUrl()).get("/api/v1/survey-forms/" + token).then().statusCode(200)
                .body("questions[0].id", org.hamcrest.Matchers.equalTo("fixed"));
        given().baseUri(surveys.baseUrl()).contentType(ContentType.JSON).body("{\"answers\":{\"fixed\":true}}")
                .post("/api/v1/survey-forms/" + token).then().statusCode(201);
        assertThat(awaitSurvey(ticket, s -> Boolean.TRUE.equals(s.get("fixed")))).containsKey("verifiedAt");
    }

    @Test
    void aHotlineFaultRepairIsSurveyedByIvrKeyPressesAndASecondResolutionSendsNothing() throws Exception {
        Customer customer = register("sms");
        operator.surveyCalls.clear();
        String ticket = ticketOf(customer, "faultRepair", "hotline");
        resolve(ticket);
        String call = operator.surveyCalls.poll(40, TimeUnit.SECONDS);
        assertThat(call).as("an IVR survey call").isNotNull();
        JsonNode placed = JSON.readTree(call);
        assertThat(placed.path("to").asText()).isEqualTo(customer.msisdn());
        assertThat(placed.path("prompts").findValuesAsText("questionId")).containsExactly("csat", "fcr");

        String keys = "{\"callId\":\"c-e2e-1\",\"keys\":{\"csat\":5,\"fcr\":1}}";
        ctiSigned(keys).post(gateway.baseUrl() + "/channels/hotline/survey-calls/" + placed.path("surveyId").asText() + "/keys")
                .then().statusCode(200);
        Map<String, Object> answered = awaitSurvey(ticket, s -> "answered".equals(s.get("status")));
        assertThat(answered).containsEntry("answeredOn", "hotline").containsEntry("csat", 5).containsEntry("fcr", true)
                .containsEntry("questionnaireId", "fault-repair");

        // Another request of the same person resolved inside the contact window: no survey on any channel.
        operator.texts.clear();
        operator.pushes.clear();
        String second = ticketOf(customer, "complaint", "sms");
        resolve(second);
        assertThat(awaitSurvey(second, s -> "suppressed".equals(s.get("status")))).containsEntry("suppressedReason", "frequency");
        assertThat(operator.surveyCalls.poll(3, TimeUnit.SECONDS)).isNull();
        String text;
        while ((text = operator.texts.poll(1, TimeUnit.SECONDS)) != null) {
            assertThat(text).as("only the resolution notice, no survey").doesNotContain("请回复1-5");
        }
    }

    @Test
    void anSmsCustomerAnswersTheSurveyByReplyingADigit() throws Exception {
        Customer customer = register("sms");
        operator.texts.clear();
        String ticket = ticketOf(customer, "businessRequest", "sms");
        resolve(ticket);
        Instant deadline = Instant.now().plusSeconds(40);
        String survey = null;
        while (survey == null && Instant.now().isBefore(deadline)) {
            String text = operator.texts.poll(1, TimeUnit.SECONDS);
            if (text != null && text.contains("请回复1-5")) {
                survey = text;
            }
        }
        assertThat(survey).as("the survey question by SMS").isNotNull().contains(customer.msisdn());

        String body = "[{\"phone_number\":\"" + customer.msisdn() + "\",\"content\":\"4\",\"send_time\":\"2026-11-30 09:00:00\","
                + "\"dest_code\":\"10690001\",\"sequence_id\":\"e2e-" + UUID.randomUUID().toString().substring(0, 12) + "\"}]";
        String ts = String.valueOf(Instant.now().getEpochSecond());
        given().contentType(ContentType.JSON).body(body).header("X-Sms-Timestamp", ts).header("X-Sms-Signature", sign(SMS_SECRET, ts, body))
                .post(gateway.baseUrl() + "/channels/sms/inbound").then().statusCode(200);
        assertThat(awaitSurvey(ticket, s -> "answered".equals(s.get("status")))).containsEntry("answeredOn", "sms")
                .containsEntry("csat", 4);
    }

    private static io.restassured.specification.RequestSpecification ctiSigned(String body) {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return given().contentType(ContentType.JSON).body(body).header("X-Cti-Timestamp", ts)
                .header("X-Cti-Signature", sign(CTI_SECRET, ts, body));
    }

    private static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
