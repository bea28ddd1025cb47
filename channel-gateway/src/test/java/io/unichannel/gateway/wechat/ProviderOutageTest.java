package io.unichannel.gateway.wechat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.gateway.ChannelCalls;
import io.unichannel.gateway.Notices;
import io.unichannel.gateway.SmsPlatformStub;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outages, on both sides. An area outage in the operator's network is told to the customers of the
 * area on their own channel before they call, and told again when it ends (主动告知). And one
 * provider down costs only its own notices. A customer who follows the operator on WeChat has a
 * ticket resolved while the WeChat API answers 503: the result goes by SMS instead, and a result
 * for someone else behind it is not held up. With the SMS platform down too, the result is parked
 * (the consumer moves on, the gateway stays alive) and goes out on WeChat once WeChat is back.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WeChatApiStub.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SmsPlatformStub.class, restrictToAnnotatedClass = true)
class ProviderOutageTest {

    @ConfigProperty(name = "gateway.wechat.token")
    String token;

    /** Texts wait out quiet hours (22:00-08:00 in Shanghai): these tests run at ten in the morning. */
    @org.junit.jupiter.api.BeforeEach
    void morning() {
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        io.unichannel.gateway.TestClock.set(java.time.LocalDate.now(shanghai).atTime(10, 0).atZone(shanghai).toInstant());
    }

    @AfterEach
    void providersBack() {
        io.unichannel.gateway.TestClock.reset();
        WeChatApiStub.down = false;
        SmsPlatformStub.down = false;
        IdentityServiceResource.down = false;
        IdentityServiceResource.refuseWith = 0;
    }

    @Test
    void anAreaOutageIsToldToItsCustomersOnTheirOwnChannelOnceAndAgainWhenItEnds() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String openId = "oWx" + suffix + "area";
        String follower = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "He Min " + suffix, "msisdn", "135" + String.format("%08d", new Random().nextInt(100_000_000)),
                        "appAccount", "hm-" + suffix, "password", "Pw-" + suffix + "-hm", "wechatOpenId", openId,
                        "preferredChannel", "wechat", "region", "gz-panyu"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        ChannelCalls.wechatPlain(token, ChannelCalls.wechatMessage(openId, "text", "Content", "你好", "MsgId",
                String.valueOf(Math.abs(new Random().nextLong()))), Instant.now().getEpochSecond()).then().statusCode(200);
        String msisdn = "134" + String.format("%08d", new Random().nextInt(100_000_000));
        String texter = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Zhao Lei " + suffix, "msisdn", msisdn, "preferredChannel", "sms", "appAccount", "zl-" + suffix,
                        "password", "Pw-" + suffix + "-zl", "region", "gz-panyu"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        String outageId = "OUT-" + suffix;
        java.time.OffsetDateTime later = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(5);

        Notices.outage(outageId, "opened", follower, "主干光缆被挖断", "12月7日 18:00", later);
        Notices.outage(outageId, "opened", texter, "主干光缆被挖断", "12月7日 18:00", later);
        String template = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(openId) && t.contains("主干光缆被挖断"))
                        .findFirst().orElse(null), Objects::nonNull);
        assertThat(template).contains("\"template_id\":\"outage-template\"").contains("12月7日 18:00");
        String text = SmsPlatformStub.next(msisdn, 30);
        assertThat(text).as("the customer who prefers texts is texted").isNotNull().contains("主干光缆被挖断").contains("12月7日 18:00")
                .contains("无需报障");

        // Delivered again (a rebalance, a retried page): nobody is told twice.
        Notices.outage(outageId, "opened", follower, "主干光缆被挖断", "12月7日 18:00", later);
        Notices.outage(outageId, "opened", texter, "主干光缆被挖断", "12月7日 18:00", later);
        // A notice past its expiry (the outage long over) is not sent at all.
        String stale = Notices.outage("OUT-OLD-" + suffix, "opened", texter, "旧故障", null,
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(1));
        Notices.outage(outageId, "cleared", texter, "主干光缆被挖断", null, later);
        String fixed = SmsPlatformStub.next(msisdn, 30);
        assertThat(fixed).as("told the outage is over").isNotNull().contains("已修复");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "sent".equals(Notices.outcome("outage:" + outageId + ":cleared:" + texter + ":sms")));
        assertThat(WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(openId) && t.contains("主干光缆被挖断")).count())
                .as("one WeChat notice of the outage").isEqualTo(1);
        assertThat(SmsPlatformStub.next(msisdn, 2)).as("no second text of the outage, none of the stale one").isNull();
        assertThat(Notices.outcome(stale + ":sms")).isNull();
    }

    /**
     * identity-service refusing the lookup is an answer, not an outage: a 400 means nobody to text
     * (recorded at once, never retried for ever); a 403 (the gateway's own credentials) parks the
     * notice for a later try instead of looping in the consumer.
     */
    @Test
    void aRefusalFromIdentityServiceIsAnAnswerNeverARetryForEver() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        IdentityServiceResource.refuseWith = 400;
        String refused = "TT-ID400-" + suffix;
        Notices.resolve(UUID.randomUUID().toString(), refused, "C-refused-" + suffix, "sms");
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> "unreachable".equals(Notices.outcome("resolved:" + refused + ":none")));

        IdentityServiceResource.refuseWith = 403;
        String forbidden = "TT-ID403-" + suffix;
        Notices.resolve(UUID.randomUUID().toString(), forbidden, "C-forbidden-" + suffix, "sms");
        String reason = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> Notices.parkedReason("resolved:" + forbidden), Objects::nonNull);
        assertThat(reason).contains("identity-service");
        // The consumer went on: a later result is handled while the first waits parked.
        IdentityServiceResource.refuseWith = 404;
        String later = "TT-ID404-" + suffix;
        Notices.resolve(UUID.randomUUID().toString(), later, "C-unknown-" + suffix, "sms");
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> "unreachable".equals(Notices.outcome("resolved:" + later + ":none")));
    }

    /**
     * identity-service away: a customer who can only be texted cannot be looked up, so the result
     * is parked rather than lost or waited for, and texted once identity-service answers again.
     */
    @Test
    void whileIdentityServiceIsAwayATextOnlyResultWaitsParkedAndGoesOutAfter() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String msisdn = "137" + String.format("%08d", new Random().nextInt(100_000_000));
        String customerId = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Xu Qing " + suffix, "msisdn", msisdn, "preferredChannel", "sms", "appAccount", "xq-" + suffix,
                        "password", "Pw-" + suffix + "-xq", "region", "gz-yuexiu"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");

        IdentityServiceResource.down = true;
        String requestId = UUID.randomUUID().toString();
        String ticketId = "TT-IDOUT-" + suffix;
        Notices.resolve(requestId, ticketId, customerId, "sms");
        String reason = Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> Notices.parkedReason("resolved:" + ticketId), Objects::nonNull);
        assertThat(reason).contains("identity-service");
        assertThat(SmsPlatformStub.next(msisdn, 2)).isNull();
        given().get("/q/health/live").then().statusCode(200);

        IdentityServiceResource.down = false;
        String text = SmsPlatformStub.next(msisdn, 60);
        assertThat(text).as("texted once identity-service is back").isNotNull().contains(requestId.substring(0, 8));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Notices.parkedReason("resolved:" + ticketId) == null);
        assertThat(Notices.outcome("resolved:" + ticketId + ":sms")).isEqualTo("sent");
    }

    @Test
    void aWeChatOutageFallsBackToTextsAndWhenEveryChannelIsDownTheNoticeWaitsParked() throws Exception {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String openId = "oWx" + suffix + "outage";
        String msisdn = "136" + String.format("%08d", new Random().nextInt(100_000_000));
        String customerId = given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Lin Feng " + suffix, "msisdn", msisdn, "appAccount", "lf-" + suffix,
                        "password", "Pw-" + suffix + "-lf", "wechatOpenId", openId, "region", "gz-tianhe"))
                .post("/api/v1/customers").then().statusCode(201).extract().path("id");
        // The customer writes to the account once: they are a follower the gateway can reach.
        ChannelCalls.wechatPlain(token, ChannelCalls.wechatMessage(openId, "text", "Content", "查询进度", "MsgId",
                String.valueOf(Math.abs(new Random().nextLong()))), Instant.now().getEpochSecond()).then().statusCode(200);

        // WeChat down: the result reaches the customer by text, within the WeChat sender's bound.
        WeChatApiStub.down = true;
        String firstRequest = UUID.randomUUID().toString();
        String firstTicket = "TT-OUT1-" + suffix;
        long started = System.nanoTime();
        Notices.resolve(firstRequest, firstTicket, customerId, "wechat");
        String text = SmsPlatformStub.next(msisdn, 40);
        assertThat(text).as("the result goes by SMS while WeChat is down").isNotNull().contains(firstRequest.substring(0, 8));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "sent".equals(Notices.outcome("resolved:" + firstTicket + ":sms")));
        assertThat(Notices.outcome("resolved:" + firstTicket + ":wechat:" + openId)).as("WeChat's try is not recorded as told")
                .isNull();

        // Both down: parked, and the consumer goes on with the next customer's result.
        SmsPlatformStub.down = true;
        String secondRequest = UUID.randomUUID().toString();
        String secondTicket = "TT-OUT2-" + suffix;
        Notices.resolve(secondRequest, secondTicket, customerId, "wechat");
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> Notices.parkedReason("resolved:" + secondTicket), Objects::nonNull);
        String someoneElse = "TT-OUT3-" + suffix;
        Notices.resolve(UUID.randomUUID().toString(), someoneElse, "C-nobody-" + suffix, "web");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "unreachable".equals(Notices.outcome("resolved:" + someoneElse + ":none")));
        given().get("/q/health/live").then().statusCode(200);

        // WeChat back: the parked result goes out on WeChat, once, and leaves the park.
        WeChatApiStub.down = false;
        String template = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(openId) && t.contains(secondRequest))
                        .findFirst().orElse(null), Objects::nonNull);
        assertThat(template).contains("\"template_id\":\"resolved-template\"");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Notices.parkedReason("resolved:" + secondTicket) == null);
        assertThat(Notices.outcome("resolved:" + secondTicket + ":wechat:" + openId)).isEqualTo("sent");
        assertThat(WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(secondRequest)).count()).isEqualTo(1);
        assertThat(SmsPlatformStub.next(secondRequest.substring(0, 8), 2)).as("no text as well").isNull();
    }

}
