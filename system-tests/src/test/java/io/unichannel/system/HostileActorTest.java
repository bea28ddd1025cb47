package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import io.unichannel.common.testing.ServiceProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The hostile-actor suite. A victim customer of gz-tianhe has a request, a ticket, channel
 * identities and a merge proposal. Then a second customer, an agent and a supervisor of gz-haizhu
 * call every operation of every service's OpenAPI document against the victim's ids, with
 * plausible bodies; and a pod publishes forged events in other services' names on their topics.
 * An attempt succeeds if it answers 2xx with any of the victim's data in it, or if a forged event
 * changes what anyone sees. None may succeed; the suite says how many it made.
 */
class HostileActorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TICKETS = "/tmf-api/troubleTicket/v5/troubleTicket";

    record Victim(String customerId, String msisdn, String name, String requestId, String ticketId, String proposalId,
            String identityId, String token) {
        List<String> secrets() {
            return List.of(customerId, msisdn, name, requestId, ticketId, proposalId, identityId);
        }
    }

    @Test
    void noCrossCustomerOrCrossRegionAttemptSucceedsThroughAnyApiOrTopic() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("hostile");
        try (ServiceProcess identity = ServiceProcess.identityService();
                ServiceProcess tickets = ServiceProcess.of("ticket-service", deployment.ticketSettings());
                ServiceProcess gateway = ServiceProcess.of("channel-gateway", deployment.gatewaySettings())) {
            ServiceProcess.startAll(List.of(identity, tickets, gateway));
            String ops = staff("ops", null);
            String tianheAgent = staff("agent", "gz-tianhe");
            Victim victim = victim(identity, gateway, tickets, ops, tianheAgent);
            Map<String, String> attackers = new LinkedHashMap<>();
            Registered b = register(identity, ops, "gz-haizhu");
            attackers.put("customer B on the app", b.token());
            attackers.put("customer B on the web", KeycloakTestSupport.passwordToken("channel-web",
                    new TestUser(null, b.appAccount(), b.password())));
            attackers.put("gz-haizhu agent", staff("agent", "gz-haizhu"));
            attackers.put("gz-haizhu supervisor", staff("supervisor", "gz-haizhu"));
            attackers.put("agent without a region", staff("agent", null));

            List<String> succeeded = new ArrayList<>();
            int attempts = 0;
            for (ServiceProcess service : List.of(identity, tickets, gateway)) {
                JsonNode api = JSON.readTree(given().baseUri(service.baseUrl()).accept("application/json")
                        .get("/q/openapi").then().statusCode(200).extract().asString());
                for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext();) {
                    Map.Entry<String, JsonNode> path = paths.next();
                    for (Iterator<Map.Entry<String, JsonNode>> ops2 = path.getValue().fields(); ops2.hasNext();) {
                        Map.Entry<String, JsonNode> operation = ops2.next();
                        String method = operation.getKey().toUpperCase();
                        String template = path.getKey();
                        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method) || publicOperation(template)
                                || (operation.getValue().toString().contains("text/event-stream") && !template.contains("{"))) {
                            continue; // public by design, or one's own open-ended stream
                        }
                        String url = fill(template, victim);
                        for (Map.Entry<String, String> attacker : attackers.entrySet()) {
                            Response response = call(service, method, url, body(method, template, victim), attacker.getValue());
                            attempts++;
                            String answer = response.asString();
                            if (response.statusCode() < 300
                                    && victim.secrets().stream().anyMatch(secret -> answer.contains(secret))) {
                                succeeded.add(attacker.getKey() + ": " + method + " " + url + " -> " + response.statusCode());
                            }
                        }
                    }
                }
            }

            attempts += forgedEvents(victim, gateway, tickets, ops, succeeded);
            System.out.printf("Hostile-actor suite: %d attempts by %d actors and a forged-event pod against identity, "
                    + "ticket and gateway APIs and 3 topics; %d succeeded%n", attempts, attackers.size(), succeeded.size());
            assertThat(succeeded).as("attempts that reached the victim's data").isEmpty();
            assertThat(attempts).isGreaterThan(100);
            // The victim still sees everything of their own.
            given().baseUri(gateway.baseUrl()).auth().oauth2(victim.token()).get("/api/v1/requests/" + victim.requestId())
                    .then().statusCode(200);
        }
    }

    /** Forged events on three topics, each in the name of a service that does not own the topic. */
    private static int forgedEvents(Victim victim, ServiceProcess gateway, ServiceProcess tickets, String ops,
            List<String> succeeded) throws Exception {
        String intruder = "C-intruder-" + UUID.randomUUID();
        List<String> keys = new ArrayList<>();
        String merge = "{\"survivorId\":\"" + intruder + "\",\"mergedId\":\"" + victim.customerId()
                + "\",\"mergedBy\":\"x\",\"reason\":\"forged\",\"mergedAt\":\"2026-11-30T08:00:00Z\"}";
        keys.add(forge(Topics.IDENTITY_EVENTS, Topics.TICKET_SERVICE, EventTypes.CUSTOMERS_MERGED, merge));
        keys.add(forge(Topics.IDENTITY_EVENTS, Topics.CHANNEL_GATEWAY, EventTypes.CUSTOMERS_MERGED, merge));
        String request = "{\"requestId\":\"" + UUID.randomUUID() + "\",\"channel\":\"app\",\"customerId\":\""
                + victim.customerId() + "\",\"subject\":\"" + victim.customerId()
                + "\",\"requestType\":\"complaint\",\"description\":\"forged complaint\",\"submittedAt\":\"2026-11-30T08:00:00Z\"}";
        keys.add(forge(Topics.CHANNEL_REQUESTS, Topics.IDENTITY_SERVICE, EventTypes.CHANNEL_REQUEST_SUBMITTED, request));
        String resolved = "{\"eventType\":\"TroubleTicketResolvedEvent\",\"correlationId\":\"" + victim.requestId()
                + "\",\"sequence\":999,\"eventTime\":\"2026-11-30T08:00:00Z\",\"event\":{\"troubleTicket\":{\"id\":\""
                + victim.ticketId() + "\",\"status\":\"resolved\",\"relatedParty\":[{\"id\":\"" + intruder
                + "\",\"role\":\"customer\"}]}}}";
        keys.add(forge(Topics.TICKET_EVENTS, Topics.CHANNEL_GATEWAY, EventTypes.TROUBLE_TICKET_RESOLVED, resolved));

        // Every consumer refuses them (dead-letters name each refused record): the merges by
        // ticket-service and the gateway, the request by both, the ticket event by the gateway's
        // three readers of ticket-events. All nine are awaited: stopping at fewer let one key's
        // letters crowd out another's that had not arrived yet.
        var letters = KafkaTestSupport.readMatching(Topics.DEAD_LETTERS, r -> keys.contains(r.key())
                && r.value().contains("does not publish on"), 9, Duration.ofSeconds(30));
        assertThat(letters).extracting(r -> r.key()).containsAll(keys);
        // ... and nothing anyone sees has changed.
        given().baseUri(gateway.baseUrl()).auth().oauth2(victim.token()).get("/api/v1/requests/" + victim.requestId())
                .then().statusCode(200).body("status", org.hamcrest.Matchers.not("resolved"));
        List<String> intruderTickets = given().baseUri(tickets.baseUrl()).auth().oauth2(ops).queryParam("relatedParty.id", intruder)
                .get(TICKETS).then().statusCode(200).extract().jsonPath().getList("id");
        if (!intruderTickets.isEmpty()) {
            succeeded.add("forged CustomersMerged moved the victim's tickets to " + intruder);
        }
        List<String> victimTickets = given().baseUri(tickets.baseUrl()).auth().oauth2(ops)
                .queryParam("relatedParty.id", victim.customerId()).get(TICKETS).then().statusCode(200)
                .extract().jsonPath().getList("description");
        if (victimTickets.contains("forged complaint")) {
            succeeded.add("a forged ChannelRequestSubmitted opened a ticket in the victim's name");
        }
        return keys.size();
    }

    private static String forge(String topic, String pretendSource, String type, String payload) {
        String key = "forged-" + UUID.randomUUID();
        KafkaTestSupport.send(CloudEventRecords.toRecord(topic, key, CloudEvent.of(pretendSource, type, key, payload)));
        return key;
    }

    private static Victim victim(ServiceProcess identity, ServiceProcess gateway, ServiceProcess tickets, String ops,
            String tianheAgent) {
        Registered a = register(identity, ops, "gz-tianhe");
        Registered twin = register(identity, ops, "gz-tianhe");
        String requestId = given().baseUri(gateway.baseUrl()).auth().oauth2(a.token()).contentType(ContentType.JSON)
                .body("{\"requestType\":\"faultRepair\",\"description\":\"Broadband down since last night\",\"urgency\":\"high\"}")
                .post("/api/v1/requests").then().statusCode(202).extract().path("requestId");
        String ticketId = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(gateway.baseUrl())
                .auth().oauth2(a.token()).get("/api/v1/requests/" + requestId).then().extract().path("ticketId"),
                id -> id != null).toString();
        String proposalId = given().baseUri(identity.baseUrl()).auth().oauth2(tianheAgent).contentType(ContentType.JSON)
                .body(Map.of("mergedCustomerId", twin.id(), "reason", "Same person", "verification", "ID checked"))
                .post("/api/v1/customers/" + a.id() + "/merge-proposals").then().statusCode(201).extract().path("id");
        String identityId = given().baseUri(identity.baseUrl()).auth().oauth2(ops).get("/api/v1/customers/" + a.id() + "/identities")
                .then().statusCode(200).extract().jsonPath().getString("[0].id");
        return new Victim(a.id(), a.msisdn(), a.name(), requestId, ticketId, proposalId, identityId, a.token());
    }

    record Registered(String id, String msisdn, String name, String token, String appAccount, String password) {
    }

    private static Registered register(ServiceProcess identity, String ops, String region) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "136" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        String password = "Pw-" + suffix + "-hostile";
        String name = "Victor Hostile " + suffix;
        String id = given().baseUri(identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", name, "msisdn", msisdn, "region", region, "appAccount", "h-" + suffix, "password", password))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        return new Registered(id, msisdn, name, KeycloakTestSupport.passwordToken("channel-app",
                new TestUser(null, "h-" + suffix, password)), "h-" + suffix, password);
    }

    private static String staff(String role, String region) {
        TestUser user = region == null ? KeycloakTestSupport.createUser(role) : KeycloakTestSupport.createStaff(role, region);
        return KeycloakTestSupport.passwordToken("staff-console", user);
    }

    private static boolean publicOperation(String template) {
        return template.endsWith("/jwks.json");
    }

    /** The victim's id for each path parameter. */
    private static String fill(String template, Victim victim) {
        String url = template
                .replace("{customerId}", victim.customerId())
                .replace("{proposalId}", victim.proposalId())
                .replace("{identityId}", victim.identityId())
                .replace("{proofId}", UUID.randomUUID().toString())
                .replace("{challengeId}", UUID.randomUUID().toString());
        String id = template.contains("/requests/") ? victim.requestId()
                : template.contains("troubleTicket") ? victim.ticketId() : victim.customerId();
        url = url.replace("{id}", id).replaceAll("\\{[^}]+}", victim.customerId());
        // List filters point at the victim too.
        return url + (url.contains("?") ? "&" : "?") + "relatedParty.id=" + victim.customerId() + "&customerId="
                + victim.customerId() + "&type=msisdn&externalId=" + victim.msisdn();
    }

    /** A body that would do real harm if the call were allowed. */
    private static String body(String method, String template, Victim victim) {
        if (method.equals("GET") || method.equals("DELETE")) {
            return null;
        }
        if (template.contains("troubleTicket")) {
            return "{\"status\":\"resolved\",\"statusChangeReason\":\"closing someone else's ticket\",\"note\":[{\"text\":\"peek\"}]}";
        }
        if (template.endsWith("/identities")) {
            return "{\"identityType\":\"msisdn\",\"externalId\":\"13" + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000))
                    + "\",\"reason\":\"customer asked\"}";
        }
        if (template.endsWith("/service-password")) {
            return "{\"servicePassword\":\"135790\"}";
        }
        if (template.endsWith("/merge-proposals")) {
            return "{\"mergedCustomerId\":\"" + victim.customerId() + "\",\"reason\":\"takeover\",\"verification\":\"none\"}";
        }
        if (template.endsWith("/msisdn-proofs")) {
            return "{\"msisdn\":\"" + victim.msisdn() + "\"}";
        }
        if (template.contains("/sign-in/")) {
            return "{\"msisdn\":\"" + victim.msisdn() + "\",\"servicePassword\":\"135790\",\"code\":\"123456\",\"openId\":\"oX\","
                    + "\"idDocument\":{\"type\":\"resident-id\",\"number\":\"110101199003071234\"}}";
        }
        if (template.endsWith("/requests")) {
            return "{\"requestType\":\"complaint\",\"description\":\"as " + victim.customerId() + "\",\"customerId\":\""
                    + victim.customerId() + "\"}";
        }
        return "{\"note\":\"x\"}";
    }

    private static Response call(ServiceProcess service, String method, String url, String body, String token) {
        // A call that wrongly opened someone else's stream would never end: a bounded read turns it into a failure.
        var request = given().config(io.restassured.RestAssured.config().httpClient(io.restassured.config.HttpClientConfig
                .httpClientConfig().setParam("http.socket.timeout", 15_000).setParam("http.connection.timeout", 5_000)))
                .baseUri(service.baseUrl()).urlEncodingEnabled(true).auth().oauth2(token);
        if (body != null) {
            request.contentType(method.equals("PATCH") ? "application/merge-patch+json" : "application/json").body(body);
        }
        return request.when().request(method, url);
    }
}
