package io.unichannel.gateway.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

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

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.unichannel.common.testing.HostilePayloads;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.gateway.TestCustomers;
import io.unichannel.gateway.wechat.IdentityServiceResource;
import org.junit.jupiter.api.Test;

/**
 * The VIP fast lane at a store: gold and platinum customers book places in slots, a slot is never
 * overbooked however many book at once, a cancelled place is free again, and the counter staff of
 * the store's region (only they) see the day's bookings and check customers in.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
class FastLaneTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static String store(String region, int capacity) {
        String id = "GZ-" + UUID.randomUUID().toString().substring(0, 8);
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "天河营业厅 " + id, "region", region, "opens", "09:00", "closes", "17:00",
                        "slotMinutes", 30, "capacity", capacity))
                .put("/api/v1/stores/" + id).then().statusCode(200).body("capacity", equalTo(capacity));
        return id;
    }

    private static ExtractableResponse<Response> book(String token, String store, ZonedDateTime slot) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("storeId", store, "slotStart", slot.toOffsetDateTime().toString()))
                .post("/api/v1/fast-lane-bookings").then().extract();
    }

    @Test
    void aSlotIsNeverOverbookedAndOnlyFastLaneTiersBook() throws Exception {
        String store = store("gz-tianhe", 3);
        LocalDate tomorrow = LocalDate.now(SHANGHAI).plusDays(1);
        ZonedDateTime ten = tomorrow.atTime(10, 0).atZone(SHANGHAI);
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            customers.add(TestCustomers.register("channel-app", i % 2 == 0 ? "gold" : "platinum", "gz-tianhe"));
        }
        // Eight VIPs book the same slot at the same moment: exactly three get a place.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (String customer : customers) {
            answers.add(pool.submit(() -> {
                start.await();
                return book(customer, store, ten).statusCode();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(5);
        given().auth().oauth2(customers.get(0)).queryParam("date", tomorrow.toString())
                .get("/api/v1/stores/" + store + "/fast-lane").then().statusCode(200)
                .body("slots", hasSize(16)).body("slots[2].remaining", equalTo(0)).body("slots[3].remaining", equalTo(3));

        // A winner cancels: one place is free again and a customer who missed out takes it.
        int winner = statuses.indexOf(201);
        int loser = statuses.indexOf(409);
        String booking = given().auth().oauth2(customers.get(winner)).get("/api/v1/fast-lane-bookings").then().statusCode(200)
                .body("[0].status", equalTo("booked")).extract().path("[0].id");
        // One booking a day: the winner cannot take a second slot that day.
        assertThat(book(customers.get(winner), store, ten.plusHours(1)).statusCode()).isEqualTo(409);
        given().auth().oauth2(customers.get(loser)).delete("/api/v1/fast-lane-bookings/" + booking).then().statusCode(404);
        given().auth().oauth2(customers.get(winner)).delete("/api/v1/fast-lane-bookings/" + booking).then().statusCode(204);
        assertThat(book(customers.get(loser), store, ten).statusCode()).isEqualTo(201);
        assertThat(book(customers.get((loser + 1) % 8 == winner ? (loser + 2) % 8 : (loser + 1) % 8), store, ten).statusCode())
                .isEqualTo(409);

        // Not a fast-lane tier: refused. Slots that do not exist or cannot be booked: refused, nothing booked.
        String standard = TestCustomers.register("channel-app", "standard", "gz-tianhe");
        assertThat(book(standard, store, ten.plusHours(2)).statusCode()).isEqualTo(403);
        String vip = TestCustomers.register("channel-app", "gold", "gz-tianhe");
        assertThat(book(vip, store, ten.plusMinutes(10)).statusCode()).as("off the slot grid").isEqualTo(400);
        assertThat(book(vip, store, tomorrow.atTime(17, 0).atZone(SHANGHAI)).statusCode()).as("after closing").isEqualTo(400);
        assertThat(book(vip, store, tomorrow.minusDays(2).atTime(10, 0).atZone(SHANGHAI)).statusCode()).as("past").isEqualTo(400);
        assertThat(book(vip, store, tomorrow.plusDays(20).atTime(10, 0).atZone(SHANGHAI)).statusCode()).as("too far").isEqualTo(400);
        assertThat(book(vip, "NO-SUCH-STORE", ten).statusCode()).isEqualTo(404);
        long seed = System.nanoTime();
        String good = "{\"storeId\":\"" + store + "\",\"slotStart\":\"" + ten.plusHours(3).toOffsetDateTime() + "\"}";
        for (HostilePayloads.Variant variant : HostilePayloads.of(good, List.of("storeId", "slotStart"), 40, seed)) {
            int status = given().auth().oauth2(vip).contentType(ContentType.JSON).body(variant.payload())
                    .post("/api/v1/fast-lane-bookings").then().extract().statusCode();
            assertThat(status).as("%s (seed %d)", variant.description(), seed).isBetween(400, 499);
        }
        given().auth().oauth2(vip).get("/api/v1/fast-lane-bookings").then().statusCode(200).body("$", hasSize(0));
        for (String date : List.of("9999-12-31", "0001-01-01", "2026-13-01", "tomorrow", "2026-02-30", "+99999-01-01")) {
            given().auth().oauth2(vip).queryParam("date", date).get("/api/v1/stores/" + store + "/fast-lane").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void theCounterOfTheStoresRegionChecksCustomersInAndIsRecorded() {
        String store = store("gz-haizhu", 2);
        ZonedDateTime slot = LocalDate.now(SHANGHAI).plusDays(2).atTime(14, 30).atZone(SHANGHAI);
        String vip = TestCustomers.register("channel-app", "platinum", "gz-haizhu");
        String booking = book(vip, store, slot).path("id");
        assertThat(booking).isNotNull();

        KeycloakTestSupport.TestUser agent = KeycloakTestSupport.createStaff("agent", "gz-haizhu");
        String counter = KeycloakTestSupport.passwordToken("staff-console", agent);
        String elsewhere = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createStaff("agent", "sz-nanshan"));
        given().auth().oauth2(counter).queryParam("date", slot.toLocalDate().toString())
                .get("/api/v1/stores/" + store + "/fast-lane-bookings").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(booking)).body("[0].status", equalTo("booked"));
        given().auth().oauth2(elsewhere).queryParam("date", slot.toLocalDate().toString())
                .get("/api/v1/stores/" + store + "/fast-lane-bookings").then().statusCode(404);
        given().auth().oauth2(elsewhere).post("/api/v1/fast-lane-bookings/" + booking + "/check-in").then().statusCode(404);
        given().auth().oauth2(vip).post("/api/v1/fast-lane-bookings/" + booking + "/check-in").then().statusCode(403);

        given().auth().oauth2(counter).post("/api/v1/fast-lane-bookings/" + booking + "/check-in").then().statusCode(200)
                .body("status", equalTo("checked-in")).body("checkedInBy", equalTo(agent.username()));
        given().auth().oauth2(counter).post("/api/v1/fast-lane-bookings/" + booking + "/check-in").then().statusCode(409);
        // A checked-in booking is no longer the customer's to cancel.
        given().auth().oauth2(vip).delete("/api/v1/fast-lane-bookings/" + booking).then().statusCode(404);
        given().auth().oauth2(vip).get("/api/v1/fast-lane-bookings").then().body("[0].checkedInBy", equalTo(agent.username()));
    }
}
