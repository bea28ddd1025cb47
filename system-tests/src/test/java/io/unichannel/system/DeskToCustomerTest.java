package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.unichannel.common.testing.Chromium;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import io.unichannel.system.LoopbackCollector.ExportedSpan;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * From the customer's APP to the agent's desk and back, on packaged services: a customer submits
 * a complaint through the gateway, routing offers it to the agent of their region, who accepts it
 * in the desk (Chromium), works it to resolved with a note, and the customer's view of the request
 * on the gateway shows it resolved. Both services export traces to a loopback collector: the
 * submission is one trace from the gateway's request, over Kafka, through ticket-service's
 * transaction and its outbox relay, back to the gateway's progress feed.
 */
class DeskToCustomerTest {

    @Test
    void aComplaintFromTheAppIsAcceptedAndResolvedAtTheDeskAndTheCustomerSeesIt() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String region = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        ScaleDeployment deployment = ScaleDeployment.fresh("desk");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + System.getenv().getOrDefault("DB_PORT", "15432") + "/" + ScaleDeployment.TICKET_DB, "postgres", "postgres")) {
            // Other runs' tickets still waiting for an agent would be offered first.
            db.createStatement().execute("DO $$ BEGIN IF to_regclass('routing_state') IS NOT NULL THEN "
                    + "DELETE FROM routing_state; UPDATE agent SET presence = 'offline', offer_ticket = NULL; END IF; END $$");
        }
        try (LoopbackCollector collector = new LoopbackCollector();
                ServiceProcess tickets = ServiceProcess.of("ticket-service", traced(deployment.ticketSettings(), collector));
                ServiceProcess gateway = ServiceProcess.of("channel-gateway", traced(deployment.gatewaySettings(), collector));
                Chromium browser = Chromium.open(1280, 900)) {
            ServiceProcess.startAll(List.of(tickets, gateway));
            String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
            KeycloakTestSupport.TestUser agent = KeycloakTestSupport.createStaff("agent", region);
            given().baseUri(tickets.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                    .body(Map.of("regions", List.of(region), "skills", Map.of("complaint", 2), "seniority", 2,
                            "capacity", Map.of("total", 5)))
                    .put("/api/v1/work/agents/" + agent.username()).then().statusCode(200);

            browser.signIn(tickets.baseUrl() + "/desk", agent.username(), agent.password(), "presence");
            browser.wait.until(d -> d.findElement(By.id("live")).getText().contains("实时"));
            new Select(browser.driver.findElement(By.id("presence"))).selectByValue("available");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "available".equals(given().baseUri(tickets.baseUrl())
                    .auth().oauth2(ops).get("/api/v1/work/overview").then().extract().jsonPath()
                    .getString("agents.find { it.agentId == '" + agent.username() + "' }.presence")));

            String customer = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser(
                    Map.of("region", List.of(region)), "customer"));
            String requestId = given().baseUri(gateway.baseUrl()).auth().oauth2(customer).contentType(ContentType.JSON)
                    .body("{\"requestType\":\"complaint\",\"description\":\"Charged for a roaming pack I never ordered\"}")
                    .post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
            oneTraceFollowsTheRequest(collector);

            String ticket = browser.wait.withTimeout(Duration.ofSeconds(40)).until(d -> d.findElements(By.cssSelector("[id^='offer-']"))
                    .stream().findFirst().map(e -> e.getAttribute("id").substring("offer-".length())).orElse(null));
            browser.driver.findElement(By.id("accept")).click();
            browser.wait.until(d -> d.findElement(By.id("d-title")).getText().contains(ticket));
            new Select(browser.driver.findElement(By.id("status"))).selectByValue("inProgress");
            browser.driver.findElement(By.id("apply")).click();
            browser.wait.until(d -> d.findElement(By.id("d-status")).getText().contains("处理中"));
            new Select(browser.driver.findElement(By.id("status"))).selectByValue("resolved");
            browser.driver.findElement(By.id("reason")).sendKeys("Refunded the roaming pack");
            browser.driver.findElement(By.id("note")).sendKeys("Refund issued; the pack was added by a billing error.");
            browser.driver.findElement(By.id("apply")).click();
            browser.wait.until(d -> d.findElement(By.id("d-status")).getText().contains("已解决"));

            // The customer's own view of the request, fed by the same event stream every channel follows.
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() ->
                    "resolved".equals(given().baseUri(gateway.baseUrl()).auth().oauth2(customer)
                            .get("/api/v1/requests/" + requestId).then().statusCode(200).extract().path("status")));
            assertThat(given().baseUri(gateway.baseUrl()).auth().oauth2(customer).get("/api/v1/requests/" + requestId)
                    .then().extract().jsonPath().getString("ticketId")).isEqualTo(ticket);
            // And on the customer's progress stream (what every channel shows): the steps so far end resolved.
            java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + "/api/v1/requests/" + requestId + "/events"))
                            .header("Authorization", "Bearer " + customer).header("Accept", "text/event-stream")
                            .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            try (java.util.stream.Stream<String> lines = stream.body()) {
                boolean resolvedShown = java.util.concurrent.CompletableFuture.supplyAsync(() -> lines
                        .filter(line -> line.startsWith("data:")).anyMatch(line -> line.contains("\"resolved\"")))
                        .get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(resolvedShown).as("a resolved step on the stream").isTrue();
            }
            // Having served the journey, it exports every metric the dashboards and alerts read.
            MetricsCatalogue.assertExportedBy("ticket-service", tickets.baseUrl());
        }
    }

    private static Map<String, String> traced(Map<String, String> settings, LoopbackCollector collector) {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(collector.settings());
        return all;
    }

    private static final Pattern PHONE = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");

    /** The spans of the submission's trace, each the child of the hop before it, with no personal data in them. */
    private static void oneTraceFollowsTheRequest(LoopbackCollector collector) {
        Awaitility.await("one trace from the request to the progress feed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    assertThat(collector.failures()).as("exports the collector could not read").isEmpty();
                    List<ExportedSpan> spans = collector.spans();
                    ExportedSpan request = find(spans, s -> s.service().equals("channel-gateway") && s.kind().equals("SPAN_KIND_SERVER")
                            && "/api/v1/requests".equals(s.attributes().get("http.route"))
                            && "POST".equals(s.attributes().get("http.request.method")), "the gateway's POST /api/v1/requests");
                    List<ExportedSpan> trace = spans.stream().filter(s -> s.traceId().equals(request.traceId())).toList();
                    ExportedSpan queued = find(trace, s -> s.service().equals("channel-gateway") && s.name().equals("channel-requests publish")
                            && s.kind().equals("SPAN_KIND_PRODUCER"), "the gateway publishing to channel-requests");
                    ExportedSpan opened = find(trace, s -> s.service().equals("ticket-service") && s.name().equals("channel-requests process")
                            && s.parentSpanId().equals(queued.spanId()), "ticket-service opening the ticket, child of the publish");
                    ExportedSpan relayed = find(trace, s -> s.service().equals("ticket-service") && s.name().equals("ticket-events publish")
                            && s.parentSpanId().equals(opened.spanId()), "the outbox relay publishing the ticket's event, child of the transaction");
                    find(trace, s -> s.service().equals("channel-gateway") && s.name().equals("ticket-events process")
                            && s.parentSpanId().equals(relayed.spanId()), "the gateway's progress feed taking the ticket event");
                    assertThat(isDescendant(queued, request, trace)).as("the publish is inside the request").isTrue();
                });
        for (ExportedSpan span : collector.spans()) {
            span.attributes().values().forEach(value -> {
                assertThat(value).as(span.name()).doesNotContain("roaming pack");
                assertThat(PHONE.matcher(value).find()).as(span.name() + " " + value).isFalse();
            });
        }
    }

    private static boolean isDescendant(ExportedSpan span, ExportedSpan ancestor, List<ExportedSpan> trace) {
        Optional<ExportedSpan> at = Optional.of(span);
        for (int hops = 0; at.isPresent() && hops < 20; hops++) {
            if (at.get().spanId().equals(ancestor.spanId())) {
                return true;
            }
            String parent = at.get().parentSpanId();
            at = trace.stream().filter(s -> s.spanId().equals(parent)).findFirst();
        }
        return false;
    }

    private static ExportedSpan find(List<ExportedSpan> spans, java.util.function.Predicate<ExportedSpan> what, String description) {
        return spans.stream().filter(what).findFirst().orElseThrow(() -> new AssertionError("no span for " + description
                + " among " + spans.stream().map(s -> s.service() + ":" + s.name() + ":" + s.kind()).distinct().toList()));
    }
}
