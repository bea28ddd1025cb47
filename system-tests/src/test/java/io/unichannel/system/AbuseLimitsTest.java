package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Abuse limits hold across replicas: a customer's submissions are counted on every gateway
 * replica together (429 with Retry-After past the limit, nothing queued, other customers
 * unaffected), and so are their open progress streams.
 */
class AbuseLimitsTest {

    private static final String BODY = "{\"requestType\":\"consultation\",\"description\":\"Which plan suits me?\"}";

    @Test
    void submissionsAndStreamsAreCountedAcrossReplicas() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("limits")
                .withGatewaySetting("GATEWAY_LIMITS_CUSTOMER_PER_MINUTE", "5")
                .withGatewaySetting("GATEWAY_LIMITS_STREAMS_PER_CUSTOMER", "2");
        try (ServiceProcess a = ServiceProcess.of("channel-gateway", deployment.gatewaySettings());
                ServiceProcess b = ServiceProcess.of("channel-gateway", deployment.gatewaySettings())) {
            ServiceProcess.startAll(java.util.List.of(a, b));
            String flooder = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
            String neighbour = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
            // The limit counts per calendar minute: start early in one so the test stays inside it.
            if (LocalTime.now(ZoneOffset.UTC).getSecond() > 45) {
                Thread.sleep((61 - LocalTime.now(ZoneOffset.UTC).getSecond()) * 1000L);
            }
            for (int i = 0; i < 5; i++) {
                submit(i % 2 == 0 ? a : b, flooder).then().statusCode(202);
            }
            Response refused = submit(b, flooder);
            refused.then().statusCode(429).contentType("application/problem+json");
            assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:unichannel:problem:too-many-requests");
            int retryAfter = Integer.parseInt(refused.header("Retry-After"));
            assertThat(retryAfter).isBetween(1, 61);
            submit(a, flooder).then().statusCode(429);
            // Nothing of the refused ones was queued; the neighbour is not affected.
            assertThat(given().baseUri(a.baseUrl()).auth().oauth2(flooder).get("/api/v1/requests").then().statusCode(200)
                    .extract().jsonPath().getList("requestId")).hasSize(5);
            submit(a, neighbour).then().statusCode(202);

            // Streams: two at once, on any replicas; a third is refused until one closes.
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<java.io.InputStream>> first = stream(http, a, neighbour);
            CompletableFuture<HttpResponse<java.io.InputStream>> second = stream(http, b, neighbour);
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            HttpResponse<java.io.InputStream> third = stream(http, a, neighbour).get(10, TimeUnit.SECONDS);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            first.get().body().close();
            List<Integer> later = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<java.io.InputStream> again = stream(http, b, neighbour).get(10, TimeUnit.SECONDS);
                later.add(again.statusCode());
                if (again.statusCode() != 200) {
                    again.body().close();
                }
                return again.statusCode() == 200;
            });
            System.out.printf("Stream attempts after closing one: %s%n", later);

            // A burst of one customer on both replicas at once: submissions share counting rounds,
            // and exactly the limit gets through, never one more, never one fewer.
            String burster = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
            if (LocalTime.now(ZoneOffset.UTC).getSecond() > 45) {
                Thread.sleep((61 - LocalTime.now(ZoneOffset.UTC).getSecond()) * 1000L);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
            List<java.util.concurrent.Future<Integer>> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ServiceProcess target = i % 2 == 0 ? a : b;
                burst.add(pool.submit(() -> submit(target, burster).statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var answer : burst) {
                statuses.add(answer.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(statuses.stream().filter(s -> s == 202).count()).as("%s", statuses).isEqualTo(5);
            assertThat(statuses.stream().filter(s -> s == 429).count()).as("%s", statuses).isEqualTo(7);
            assertThat(given().baseUri(b.baseUrl()).auth().oauth2(burster).get("/api/v1/requests").then().statusCode(200)
                    .extract().jsonPath().getList("requestId")).hasSize(5);
        }
    }

    /**
     * A channel's limit per second holds whoever submits: five quick submissions on a channel
     * allowed one a second land in at most two seconds, so at least three are refused.
     */
    @Test
    void aChannelOverItsRatePerSecondIsRefused() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("channel-limit")
                .withGatewaySetting("GATEWAY_LIMITS_CHANNEL_PER_SECOND", "1");
        try (ServiceProcess gateway = ServiceProcess.of("channel-gateway", deployment.gatewaySettings()).start()) {
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                customers.add(KeycloakTestSupport.passwordToken("channel-web", KeycloakTestSupport.createUser("customer")));
            }
            long started = System.nanoTime();
            List<Response> answers = customers.stream().map(token -> submit(gateway, token)).toList();
            long millis = (System.nanoTime() - started) / 1_000_000;
            List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
            System.out.printf("Five submissions on one channel in %d ms: %s%n", millis, statuses);
            if (millis < 1_000) {
                assertThat(statuses.stream().filter(s -> s == 429).count()).as("%s", statuses).isGreaterThanOrEqualTo(3);
            }
            assertThat(statuses).contains(429).allMatch(s -> s == 202 || s == 429);
            assertThat(answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow().jsonPath()
                    .getString("detail")).contains("channel");
        }
    }

    private static Response submit(ServiceProcess gateway, String token) {
        return given().baseUri(gateway.baseUrl()).auth().oauth2(token).contentType(ContentType.JSON).body(BODY)
                .post("/api/v1/requests");
    }

    private static CompletableFuture<HttpResponse<java.io.InputStream>> stream(HttpClient http, ServiceProcess gateway,
            String token) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/customers/me/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }
}
