package io.unichannel.gateway.wechat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.KeycloakTestSupport.TestUser;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test plays WeChat's servers against the gateway's official-account callback, with the
 * account's Token and EncodingAESKey: the server URL check, signed plaintext and safe-mode
 * messages from a follower whose openid is bound in identity-service, WeChat's repeated
 * deliveries, forged signatures, replayed timestamps, XML with entities, and generated malformed
 * bodies.
 */
@QuarkusTest
@QuarkusTestResource(value = IdentityServiceResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WeChatApiStub.class, restrictToAnnotatedClass = true)
class WeChatChannelTest {

    @ConfigProperty(name = "gateway.wechat.token")
    String token;
    @ConfigProperty(name = "gateway.wechat.encoding-aes-key")
    String aesKey;
    @ConfigProperty(name = "gateway.wechat.app-id")
    String appId;

    private String openId;
    private String appToken;
    private String account;
    private String password;

    @io.quarkus.test.common.http.TestHTTPResource("/portal")
    java.net.URL portal;

    @BeforeEach
    void aCustomerWithTheirWeChatBound() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
        String ops = KeycloakTestSupport.passwordToken("staff-console", KeycloakTestSupport.createUser("ops"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        openId = "oWx" + suffix + "follower";
        password = "Pw-" + suffix + "-wx";
        account = "wx-" + suffix;
        given().baseUri(IdentityServiceResource.identity.baseUrl()).auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("name", "Zhou Xun " + suffix, "msisdn", "135" + String.format("%08d", new Random().nextInt(100_000_000)),
                        "appAccount", "wx-" + suffix, "password", password, "wechatOpenId", openId, "region", "gz-tianhe"))
                .post("/api/v1/customers").then().statusCode(201);
        appToken = KeycloakTestSupport.passwordToken("channel-app", new TestUser(null, account, password));
    }

    @Test
    void theServerUrlCheckEchoesOnlyForWeChatsSignature() {
        String now = String.valueOf(Instant.now().getEpochSecond());
        given().queryParam("signature", WeChatCrypto.signature(token, now, "n0nce")).queryParam("timestamp", now)
                .queryParam("nonce", "n0nce").queryParam("echostr", "7141806513271416")
                .get("/channels/wechat").then().statusCode(200).body(org.hamcrest.Matchers.equalTo("7141806513271416"));
        given().queryParam("signature", WeChatCrypto.signature("guessed-token", now, "n0nce")).queryParam("timestamp", now)
                .queryParam("nonce", "n0nce").queryParam("echostr", "7141806513271416")
                .get("/channels/wechat").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTextOpensOneRequestHoweverOftenWeChatDeliversItAndProgressIsAnsweredInSafeMode() {
        long msgId = Math.abs(new Random().nextLong());
        String text = message(openId, "text", "Content", "报障：家里宽带从昨晚开始断网", "MsgId", String.valueOf(msgId));
        List<String> replies = new ArrayList<>();
        for (int delivery = 0; delivery < 3; delivery++) {
            Response answer = plain(text, Instant.now().getEpochSecond());
            answer.then().statusCode(200);
            replies.add(WeChatXml.parse(answer.asString()).get("Content"));
        }
        assertThat(replies.get(0)).contains("已收到您的报障");
        assertThat(replies).containsOnly(replies.get(0));
        List<Map<String, Object>> requests = given().auth().oauth2(appToken).get("/api/v1/requests").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("channel")).isEqualTo("wechat");
        String requestId = requests.get(0).get("requestId").toString();
        assertThat(replies.get(0)).contains(requestId.substring(0, 8));

        // Safe mode: the question and the answer travel encrypted.
        WeChatCrypto crypto = new WeChatCrypto(aesKey, appId);
        String inner = message(openId, "text", "Content", "进度", "MsgId", String.valueOf(msgId + 1));
        Response sealed = encrypted(crypto, crypto.encrypt(inner), Instant.now().getEpochSecond(), null);
        sealed.then().statusCode(200);
        Map<String, String> outer = WeChatXml.parse(sealed.asString());
        assertThat(WeChatCrypto.verify(outer.get("MsgSignature"), token, outer.get("TimeStamp"), outer.get("Nonce"),
                outer.get("Encrypt"))).isTrue();
        Map<String, String> reply = WeChatXml.parse(crypto.decrypt(outer.get("Encrypt")));
        assertThat(reply).containsEntry("ToUserName", openId).containsEntry("MsgType", "text");
        assertThat(reply.get("Content")).contains("您最近的诉求").contains(requestId.substring(0, 8));

        // Resolved: the follower gets a template message linking to the request, once, even after
        // WeChat revoked the access token in between.
        WeChatApiStub.invalidateToken();
        String ticketId = "TT-WX-" + requestId.substring(0, 8);
        String customerId = io.unichannel.common.testing.Tokens.claims(appToken).get("customer_id").asText();
        for (int delivery = 0; delivery < 2; delivery++) {
            io.unichannel.common.testing.KafkaTestSupport.send(io.unichannel.common.events.CloudEventRecords.toRecord(
                    io.unichannel.common.events.Topics.TICKET_EVENTS, ticketId, new io.unichannel.common.events.CloudEvent(
                            "resolved-" + ticketId, io.unichannel.common.events.Topics.TICKET_SERVICE,
                            io.unichannel.common.events.EventTypes.TROUBLE_TICKET_RESOLVED, ticketId,
                            java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), resolved(requestId, ticketId, customerId))));
        }
        String template = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(openId)).findFirst().orElse(null),
                        java.util.Objects::nonNull);
        assertThat(template).contains("\"template_id\":\"resolved-template\"").contains(requestId)
                .contains(requestId.substring(0, 8));
        io.unichannel.common.testing.KafkaTestSupport.send(io.unichannel.common.events.CloudEventRecords.toRecord(
                io.unichannel.common.events.Topics.TICKET_EVENTS, "after-" + ticketId, new io.unichannel.common.events.CloudEvent(
                        UUID.randomUUID().toString(), io.unichannel.common.events.Topics.TICKET_SERVICE,
                        io.unichannel.common.events.EventTypes.TROUBLE_TICKET_RESOLVED, "after-" + ticketId,
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), resolved(UUID.randomUUID().toString(),
                                "after-" + ticketId, "C-someone-else-" + UUID.randomUUID()))));
        org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(openId)).count()).isEqualTo(1);
    }

    private static String resolved(String requestId, String ticketId, String customerId) {
        return """
                {"eventId":"%s","eventTime":"%s","eventType":"TroubleTicketResolvedEvent","correlationId":"%s",\
                "sequence":5,"event":{"troubleTicket":{"id":"%s","status":"resolved","channel":{"name":"wechat"},\
                "relatedParty":[{"id":"%s","role":"customer","@referredType":"Customer"}]}}}"""
                .formatted(UUID.randomUUID(), java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), requestId, ticketId,
                        customerId);
    }

    /**
     * What a customer does after a text on WeChat: follows the request on the web portal in
     * Chromium, sees it resolved there live, and gets the result as a template message.
     */
    @Test
    void aRequestOpenedOnWeChatIsFollowedOnThePortalAndItsResultArrivesAsATemplateMessage() throws Exception {
        String text = message(openId, "text", "Content", "投诉：营业厅排队太久", "MsgId", String.valueOf(Math.abs(new Random().nextLong())));
        plain(text, Instant.now().getEpochSecond()).then().statusCode(200);
        String requestId = given().auth().oauth2(appToken).get("/api/v1/requests").then().statusCode(200)
                .extract().path("[0].requestId");
        try (io.unichannel.common.testing.Chromium browser = io.unichannel.common.testing.Chromium.open()) {
            browser.signIn(portal.toString(), account, password);
            assertThat(browser.statusOf(requestId)).isEqualTo("已提交");
            String ticketId = "TT-WXP-" + requestId.substring(0, 8);
            String customerId = io.unichannel.common.testing.Tokens.claims(appToken).get("customer_id").asText();
            io.unichannel.gateway.Notices.resolve(requestId, ticketId, customerId, "wechat");
            browser.wait.until(d -> "已解决".equals(browser.statusOf(requestId)));
        }
        String template = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> WeChatApiStub.TEMPLATES.stream().filter(t -> t.contains(openId) && t.contains(requestId))
                        .findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(template).contains("\"template_id\":\"resolved-template\"");
    }

    @Test
    void forgedReplayedAndHostileDeliveriesAreRefusedAndCreateNothing() {
        long now = Instant.now().getEpochSecond();
        String text = message(openId, "text", "Content", "投诉：话费多扣了", "MsgId", String.valueOf(now));
        // Forged: right body, signature made with a guessed token.
        given().contentType("text/xml").body(text).queryParam("signature", WeChatCrypto.signature("guess", "" + now, "x"))
                .queryParam("timestamp", now).queryParam("nonce", "x").post("/channels/wechat").then().statusCode(401);
        // Replayed: correctly signed, but an hour old.
        plain(text, now - 3600).then().statusCode(401);
        // Safe mode with a msg_signature that does not cover this ciphertext.
        WeChatCrypto crypto = new WeChatCrypto(aesKey, appId);
        encrypted(crypto, crypto.encrypt(text), now, "0".repeat(40)).then().statusCode(401);
        // An external entity: refused without being resolved.
        plain("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]><xml>"
                + "<FromUserName>" + openId + "</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content>"
                + "<MsgId>" + (now + 1) + "</MsgId></xml>", now).then().statusCode(400).contentType("application/problem+json");
        // Generated malformed bodies, each correctly signed.
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String valid = message(openId, "text", "Content", "投诉：网速很慢", "MsgId", String.valueOf(now + 2));
        int refused = 0;
        for (String body : hostileBodies(valid, random)) {
            Response answer = plain(body, now);
            assertThat(answer.statusCode()).as("seed %d: %s", seed, body.length() > 80 ? body.substring(0, 80) : body)
                    .isBetween(400, 499);
            refused++;
        }
        System.out.printf("%d generated hostile WeChat bodies refused (seed %d)%n", refused, seed);
        given().auth().oauth2(appToken).get("/api/v1/requests").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
        // An openid nobody has bound opens nothing and is asked to bind.
        Response stranger = plain(message("oWx-nobody-" + now, "text", "Content", "投诉：信号差", "MsgId", "" + (now + 3)), now);
        stranger.then().statusCode(200);
        assertThat(WeChatXml.parse(stranger.asString()).get("Content")).contains("请先绑定");
    }

    /** Mutations of a valid message that no WeChat server would send. */
    private static List<String> hostileBodies(String valid, Random random) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add(valid.substring(0, 1 + random.nextInt(valid.length() - 8))); // truncated
        }
        bodies.add(valid.replace("<xml>", "<!DOCTYPE xml [<!ENTITY a \"" + "A".repeat(50) + "\">]><xml>"));
        bodies.add(valid.replace("<xml>", "<!DOCTYPE xml SYSTEM \"http://127.0.0.1:9/evil.dtd\"><xml>"));
        bodies.add(valid.replace("xml>", "soap>"));
        bodies.add(valid.replace("</Content>", "</Content>" + "<F>x</F>".repeat(80)));
        bodies.add(valid.replace("投诉：网速很慢", "x".repeat(9_000)));
        bodies.add("<xml>" + "<a>".repeat(200) + "</xml>");
        bodies.add(valid.replace("<FromUserName>", "<FromUserName>" + "o".repeat(100)));
        bodies.add(valid.replace("<MsgId>", "<MsgId>" + "9".repeat(200)));
        bodies.add(valid.replace("<FromUserName><![CDATA[", "<FromUserName><![CDATA[\u0001"));
        bodies.add("");
        return bodies;
    }

    /**
     * identity-service is slow: the message is not handled within WeChat's five seconds. WeChat
     * gets "success" in time (it would otherwise give up and deliver again), a repeat that arrives
     * while the first delivery is in hand opens nothing twice, and when identity-service is quick
     * again the reply reaches the follower through the customer-service message API, once, naming
     * the one request opened. Nothing is dropped.
     */
    @Test
    void aMessageNotAnsweredInTimeIsHandedOverAndItsReplyStillArrives() throws Exception {
        long msgId = Math.abs(new Random().nextLong());
        String text = message(openId, "text", "Content", "报障：光猫红灯一直闪", "MsgId", String.valueOf(msgId));
        IdentityServiceResource.delayMillis = 2_500;
        try {
            var repeat = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return timed(text);
            });
            long[] first = timed(text);
            assertThat(first[0]).as("the first delivery is answered").isEqualTo(200);
            assertThat(first[1]).as("within WeChat's five seconds (ms)").isLessThan(5_000);
            long[] again = repeat.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(again[0]).as("the repeat while the first is in hand").isEqualTo(200);
            assertThat(again[1]).isLessThan(5_000);
        } finally {
            IdentityServiceResource.delayMillis = 0;
        }
        String reply = org.awaitility.Awaitility.await("the reply by customer-service message").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> WeChatApiStub.CUSTOMER_SERVICE.stream().filter(m -> m.contains(openId)).findFirst().orElse(null),
                        java.util.Objects::nonNull);
        List<Map<String, Object>> requests = given().auth().oauth2(appToken).get("/api/v1/requests").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(requests).as("one request, however often it was delivered and tried").hasSize(1);
        assertThat(reply).contains("已收到您的报障").contains(requests.get(0).get("requestId").toString().substring(0, 8));
        Thread.sleep(1_000);
        assertThat(WeChatApiStub.CUSTOMER_SERVICE.stream().filter(m -> m.contains(openId))).as("told once").hasSize(1);
        // A later delivery of the same message gets the same reply passively.
        assertThat(WeChatXml.parse(plain(text, Instant.now().getEpochSecond()).asString()).get("Content"))
                .contains("已收到您的报障");
    }

    /** A delivery's status and how long its answer took (ms). */
    private long[] timed(String text) {
        long started = System.nanoTime();
        Response answer = plain(text, Instant.now().getEpochSecond());
        return new long[] {answer.statusCode(), (System.nanoTime() - started) / 1_000_000};
    }

    private static String message(String from, String type, String... fields) {
        return io.unichannel.gateway.ChannelCalls.wechatMessage(from, type, fields);
    }

    private Response plain(String body, long timestamp) {
        return io.unichannel.gateway.ChannelCalls.wechatPlain(token, body, timestamp);
    }

    private Response encrypted(WeChatCrypto crypto, String encrypt, long timestamp, String messageSignature) {
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        String ts = String.valueOf(timestamp);
        return given().contentType("text/xml; charset=UTF-8")
                .body(WeChatXml.write(Map.of("ToUserName", "gh_local_account", "Encrypt", encrypt)))
                .queryParam("signature", WeChatCrypto.signature(token, ts, nonce)).queryParam("timestamp", ts)
                .queryParam("nonce", nonce).queryParam("encrypt_type", "aes")
                .queryParam("msg_signature", messageSignature != null ? messageSignature
                        : WeChatCrypto.signature(token, ts, nonce, encrypt))
                .post("/channels/wechat");
    }
}
