package io.unichannel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * A store's fast-lane slot is never overbooked across replicas: twelve VIP customers book the
 * same slot at the same moment through two packaged gateways, and exactly the slot's capacity of
 * them get a place; the rest are told the slot is full.
 */
class FastLaneReplicasTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void twoGatewaysTogetherGiveOutExactlyTheSlotsPlaces() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        ScaleDeployment deployment = ScaleDeployment.fresh("fastlane");
        try (ServiceProcess a = ServiceProcess.of("channel-gateway", deployment.gatewaySettings());
                ServiceProcess b = ServiceProcess.of("channel-gateway", deployment.gatewaySettings())) {
            ServiceProcess.startAll(java.util.List.of(a, b));
            String store = "SZ-" + UUID.randomUUID().toString().substring(0, 8);
            String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
            given().baseUri(a.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                    .body(Map.of("name", "南山营业厅", "region", "sz-nanshan", "opens", "09:00", "closes", "18:00",
                            "slotMinutes", 20, "capacity", 4))
                    .put("/api/v1/stores/" + store).then().statusCode(200);
            ZonedDateTime slot = LocalDate.now(SHANGHAI).plusDays(3).atTime(11, 0).atZone(SHANGHAI);
            List<String> vips = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                vips.add(KeycloakTestSupport.passwordToken("channel-app", KeycloakTestSupport.createUser(
                        Map.of("valueTier", List.of(i % 2 == 0 ? "gold" : "platinum")), "customer")));
            }
            ExecutorService pool = Executors.newFixedThreadPool(12);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < vips.size(); i++) {
                String token = vips.get(i);
                ServiceProcess replica = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().baseUri(replica.baseUrl()).auth().oauth2(token).contentType(ContentType.JSON)
                            .body(Map.of("storeId", store, "slotStart", slot.toOffsetDateTime().toString()))
                            .post("/api/v1/fast-lane-bookings").then().extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            pool.shutdown();
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(4);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(8);
            given().baseUri(b.baseUrl()).auth().oauth2(vips.get(0)).queryParam("date", slot.toLocalDate().toString())
                    .get("/api/v1/stores/" + store + "/fast-lane").then().statusCode(200)
                    // 09:00 + 6 slots of 20 minutes: the 11:00 slot, full; the one before it untouched.
                    .body("slots[6].remaining", org.hamcrest.Matchers.equalTo(0))
                    .body("slots[5].remaining", org.hamcrest.Matchers.equalTo(4));
        }
    }
}
