package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * No event loop ever waits on Kafka: a channel-gateway whose broker is unreachable (a Kafka send
 * then waits up to 5 s for metadata) keeps answering on its event loops while many customers
 * submit at once, answers each submission with a problem instead of hanging, and Vert.x's
 * blocked-thread checker (set to 1 s here) never reports a blocked event loop.
 */
class EventLoopTest {

    @Test
    void submissionsDuringABrokerOutageNeverBlockAnEventLoop() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        // A port nothing of this run listens on: the broker is away.
        int deadPort = ServiceProcess.freePort();
        try (ServiceProcess gateway = ServiceProcess.of("channel-gateway", Map.of("DB_NAME", "gateway_scale",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + deadPort,
                "QUARKUS_VERTX_MAX_EVENT_LOOP_EXECUTE_TIME", "1s",
                "MP_MESSAGING_INCOMING_PROGRESS_GROUP_ID", "channel-gateway-progress-eventloop",
                "MP_MESSAGING_INCOMING_NOTIFICATIONS_GROUP_ID", "channel-gateway-notifications-eventloop")).startAlive()) {
            String token = KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser("customer"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> submissions = new ArrayList<>();
            // More submissions at once than the gateway has event loops.
            for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
                submissions.add(http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/requests"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "eventloop-" + UUID.randomUUID()).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"requestType\":\"faultRepair\",\"description\":\"No signal at home\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long slowest = 0;
            for (int i = 0; i < 30; i++) {
                long start = System.nanoTime();
                HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/q/health/live"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                assertThat(live.statusCode()).isEqualTo(200);
                Thread.sleep(200);
            }
            System.out.printf("Event loops with the broker away: slowest liveness answer %d ms over 6 s of blocked submissions%n", slowest);
            assertThat(slowest).as("liveness answered while submissions waited on Kafka").isLessThan(1_000);
            for (CompletableFuture<HttpResponse<String>> submission : submissions) {
                HttpResponse<String> response = submission.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
            }
            assertThat(gateway.logText()).as("Vert.x blocked-thread warnings").doesNotContain("has been blocked for");
        }
    }
}
