package io.unichannel.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The providers the channel gateway sends through, on loopback, each following its published
 * contract (docs/channels): the WeChat official-account API (access token, template and
 * customer-service messages), the operator's SMS platform (sending, then a signed delivery receipt
 * back to the gateway), the APP push provider (Huawei Push Kit: OAuth client credentials and
 * {@code messages:send}) and the contact centre's CTI outbound API (IVR survey calls). Everything
 * sent is kept in an outbox a person can read ({@code GET /sim/outbox?to=}), so every channel can
 * be tried locally; {@code POST /sim/sms/inbound} plays a customer texting the service number and
 * {@code POST /sim/wechat/inbound} a follower writing to the official account.
 *
 * <p>The credentials are the gateway's local ones (production refuses them); the simulator accepts
 * nothing else.
 */
final class ChannelProviders {

    /** The most sent messages the outbox keeps; older ones fall off. */
    private static final int OUTBOX_SIZE = 2_000;
    private static final DateTimeFormatter SMS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One message a provider took: which provider, to whom, what it said, the whole body. */
    record Sent(long id, String provider, String to, String text, Instant at, JsonNode body) {
    }

    private final ObjectMapper json;
    private final Config config;
    private final ConcurrentLinkedDeque<Sent> outbox = new ConcurrentLinkedDeque<>();
    private final AtomicLong ids = new AtomicLong();
    private final Set<String> wechatTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> pushTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> smsReferences = ConcurrentHashMap.newKeySet();
    /** Providers taken down by a fault drill ({@code PUT /sim/providers}): they answer 503 until back. */
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The gateway's local credentials and where to call it back. */
    record Config(String wechatAppId, String wechatAppSecret, String wechatToken, String pushAppId, String pushAppSecret,
            String ctiToken, String gatewayUrl, String smsWebhookSecret) {

        static Config fromEnvironment() {
            return new Config(env("SIM_WECHAT_APP_ID", "wx0000000000local"), env("SIM_WECHAT_APP_SECRET", "local-only-wechat-app-secret"),
                    env("SIM_WECHAT_TOKEN", "local-only-wechat-token"),
                    env("SIM_PUSH_APP_ID", "local-app"), env("SIM_PUSH_APP_SECRET", "local-only-push-app-secret"),
                    env("SIM_CTI_API_TOKEN", "local-only-cti-api-token"), env("SIM_GATEWAY_URL", "http://127.0.0.1:8180"),
                    env("SIM_SMS_WEBHOOK_SECRET", "local-only-sms-webhook-secret"));
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    ChannelProviders(ObjectMapper json, Config config) {
        this.json = json;
        this.config = config;
    }

    void register(HttpServer server) {
        server.createContext("/wechat/", exchange -> serve(exchange, unlessDown("wechat", this::wechat)));
        server.createContext("/sms", exchange -> serve(exchange, unlessDown("sms", this::sms)));
        server.createContext("/push/", exchange -> serve(exchange, unlessDown("push", this::push)));
        server.createContext("/cti/", exchange -> serve(exchange, unlessDown("cti", this::cti)));
        server.createContext("/sim/providers", exchange -> serve(exchange, this::providers));
        server.createContext("/sim/outbox", exchange -> serve(exchange, this::readOutbox));
        server.createContext("/sim/sms/inbound", exchange -> serve(exchange, this::customerTexts));
        server.createContext("/sim/wechat/inbound", exchange -> serve(exchange, this::followerWrites));
    }

    private interface Handler {
        void handle(HttpExchange exchange, String path) throws IOException, InterruptedException;
    }

    /** A provider that is down answers 503, as a provider's outage looks from outside. */
    private Handler unlessDown(String provider, Handler handler) {
        return (exchange, path) -> {
            if (down.contains(provider)) {
                answer(exchange, 503, Map.of("error", provider + " is down (a fault drill)"));
            } else {
                handler.handle(exchange, path);
            }
        };
    }

    /** {@code PUT /sim/providers {"wechat": "down", "sms": "up"}}: takes providers down and back; GET says which are down. */
    private void providers(HttpExchange exchange, String path) throws IOException {
        if (exchange.getRequestMethod().equals("PUT")) {
            Map<String, String> states = json.readValue(exchange.getRequestBody(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            states.forEach((provider, state) -> {
                if (!Set.of("wechat", "sms", "push", "cti").contains(provider) || !Set.of("up", "down").contains(state)) {
                    throw new IllegalArgumentException("providers are wechat, sms, push and cti; states up and down");
                }
                if (state.equals("down")) {
                    down.add(provider);
                } else {
                    down.remove(provider);
                }
            });
        }
        answer(exchange, 200, Map.of("down", List.copyOf(down)));
    }

    private void serve(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            handler.handle(exchange, exchange.getRequestURI().getPath());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            answer(exchange, 400, Map.of("error", "bad request", "detail", String.valueOf(e.getMessage())));
        }
    }

    // WeChat official-account API (https://developers.weixin.qq.com/doc/offiaccount/)

    private void wechat(HttpExchange exchange, String path) throws IOException {
        Map<String, String> query = query(exchange);
        if (path.equals("/wechat/cgi-bin/token")) {
            if (!"client_credential".equals(query.get("grant_type")) || !config.wechatAppId().equals(query.get("appid"))
                    || !config.wechatAppSecret().equals(query.get("secret"))) {
                answer(exchange, 200, Map.of("errcode", 40125, "errmsg", "invalid appsecret"));
                return;
            }
            String token = "wx-token-" + UUID.randomUUID();
            wechatTokens.add(token);
            answer(exchange, 200, Map.of("access_token", token, "expires_in", 7200));
            return;
        }
        boolean template = path.equals("/wechat/cgi-bin/message/template/send");
        boolean customerService = path.equals("/wechat/cgi-bin/message/custom/send");
        if (!template && !customerService) {
            answer(exchange, 404, Map.of("errcode", 40066, "errmsg", "invalid url"));
            return;
        }
        if (!wechatTokens.contains(query.getOrDefault("access_token", ""))) {
            answer(exchange, 200, Map.of("errcode", 40001, "errmsg", "invalid credential, access_token is invalid"));
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody());
        String to = body.path("touser").asText("");
        if (to.isEmpty()) {
            answer(exchange, 200, Map.of("errcode", 40003, "errmsg", "invalid openid"));
            return;
        }
        String text;
        if (template) {
            List<String> fields = new ArrayList<>();
            body.path("data").forEach(field -> fields.add(field.path("value").asText()));
            text = String.join(" / ", fields) + (body.hasNonNull("url") ? " " + body.path("url").asText() : "");
        } else {
            text = body.at("/text/content").asText("");
        }
        long id = keep(template ? "wechat-template" : "wechat-customer-service", to, text, body);
        answer(exchange, 200, Map.of("errcode", 0, "errmsg", "ok", "msgid", id));
    }

    /**
     * A follower writes to the official account: {@code {"openId": "oDemoZhangWei0001", "text": "进度"}}.
     * WeChat's servers sign the call with the account's token (plaintext mode); the answer is the
     * gateway's passive reply.
     */
    private void followerWrites(HttpExchange exchange, String path) throws IOException, InterruptedException {
        if (!exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 405, Map.of("error", "POST a message"));
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody());
        String openId = body.path("openId").asText("");
        String text = body.path("text").asText("");
        String now = String.valueOf(Instant.now().getEpochSecond());
        String xml = "<xml><ToUserName><![CDATA[gh_local_account]]></ToUserName><FromUserName><![CDATA[" + cdata(openId)
                + "]]></FromUserName><CreateTime>" + now + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
                + cdata(text) + "]]></Content><MsgId>" + System.nanoTime() + "</MsgId></xml>";
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        String[] parts = {config.wechatToken(), now, nonce};
        java.util.Arrays.sort(parts);
        String signature;
        try {
            signature = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> gateway = client.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl()
                + "/channels/wechat?signature=" + signature + "&timestamp=" + now + "&nonce=" + nonce))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
        answer(exchange, 200, Map.of("gatewayStatus", gateway.statusCode(), "gatewayAnswer", gateway.body()));
    }

    private static String cdata(String text) {
        return text.replace("]]>", "]]]]><![CDATA[>");
    }

    // The operator's SMS platform (docs/channels/sms-platform.md)

    private void sms(HttpExchange exchange, String path) throws IOException {
        if (!path.equals("/sms") || !exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 404, Map.of("error", "no such resource"));
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody());
        String to = body.path("to").asText("");
        String text = body.path("text").asText("");
        String reference = body.path("reference").asText("");
        if (!to.matches("1\\d{10}") || text.isEmpty()) {
            answer(exchange, 400, Map.of("error", "to must be a mobile number and text is required"));
            return;
        }
        boolean first = reference.isEmpty() || smsReferences.add(reference);
        if (first) {
            keep("sms", to, text, body);
        }
        answer(exchange, 202, Map.of("accepted", true));
        if (first && !reference.isEmpty()) {
            // The carrier's delivery receipt follows, as the platform's webhook.
            String receipt = json.writeValueAsString(List.of(Map.of("phone_number", to, "success", true, "err_code", "DELIVERED",
                    "report_time", LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(SMS_TIME), "out_id", reference)));
            signedToGateway("/channels/sms/receipts", receipt);
        }
    }

    /** A customer texts the service number: {@code {"from": "13800138000", "text": "CX"}}. */
    private void customerTexts(HttpExchange exchange, String path) throws IOException, InterruptedException {
        if (!exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 405, Map.of("error", "POST a text"));
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody());
        String from = body.path("from").asText("");
        String text = body.path("text").asText("");
        String inbound = json.writeValueAsString(List.of(Map.of("phone_number", from, "content", text,
                "send_time", LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(SMS_TIME), "dest_code", "10690001",
                "sequence_id", String.valueOf(System.nanoTime()))));
        HttpResponse<String> gateway = client.send(signed("/channels/sms/inbound", inbound), HttpResponse.BodyHandlers.ofString());
        answer(exchange, 200, Map.of("gatewayStatus", gateway.statusCode(), "gatewayAnswer", gateway.body()));
    }

    private void signedToGateway(String path, String body) {
        client.sendAsync(signed(path, body), HttpResponse.BodyHandlers.discarding())
                .exceptionally(e -> null);
    }

    private HttpRequest signed(String path, String body) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.smsWebhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = HexFormat.of().formatHex(mac.doFinal((timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8)));
            return HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("X-Sms-Timestamp", timestamp)
                    .header("X-Sms-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // APP push: Huawei Push Kit server API (docs/channels/app-push.md)

    private void push(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/push/oauth2/v3/token")) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"client_credentials".equals(form.get("grant_type")) || !config.pushAppId().equals(form.get("client_id"))
                    || !config.pushAppSecret().equals(form.get("client_secret"))) {
                answer(exchange, 400, Map.of("error", "invalid_client", "error_description", "bad credentials"));
                return;
            }
            String token = "push-access-" + UUID.randomUUID();
            pushTokens.add(token);
            answer(exchange, 200, Map.of("access_token", token, "expires_in", 3600, "token_type", "Bearer"));
            return;
        }
        if (!path.equals("/push/v1/" + config.pushAppId() + "/messages:send")) {
            answer(exchange, 404, Map.of("code", "80100001", "msg", "no such app"));
            return;
        }
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!authorization.startsWith("Bearer ") || !pushTokens.contains(authorization.substring(7))) {
            answer(exchange, 401, Map.of("code", "80200001", "msg", "Oauth authentication error"));
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody());
        JsonNode message = body.path("message");
        if (!message.path("token").isArray() || message.path("token").isEmpty() || message.at("/notification/title").asText().isEmpty()) {
            answer(exchange, 400, Map.of("code", "80100003", "msg", "Illegal payload"));
            return;
        }
        String text = message.at("/notification/title").asText() + ": " + message.at("/notification/body").asText();
        for (JsonNode token : message.path("token")) {
            keep("push", token.asText(), text, body);
        }
        answer(exchange, 200, Map.of("code", "80000000", "msg", "Success", "requestId", String.valueOf(System.nanoTime())));
    }

    // The contact centre's CTI outbound API (docs/channels/cti.md)

    private void cti(HttpExchange exchange, String path) throws IOException {
        if (!path.equals("/cti/v1/survey-calls") || !exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 404, Map.of("error", "no such resource"));
            return;
        }
        if (!("Bearer " + config.ctiToken()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, Map.of("error", "unauthorised"));
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody());
        keep("cti-survey-call", body.path("to").asText(body.path("msisdn").asText("")), body.toString(), body);
        answer(exchange, 202, Map.of("accepted", true));
    }

    // What was sent, for a person trying the channels

    private void readOutbox(HttpExchange exchange, String path) throws IOException {
        String to = query(exchange).get("to");
        List<Map<String, Object>> items = new ArrayList<>();
        for (var it = outbox.descendingIterator(); it.hasNext() && items.size() < 100;) {
            Sent sent = it.next();
            if (to == null || to.equals(sent.to())) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", sent.id());
                item.put("provider", sent.provider());
                item.put("to", sent.to());
                item.put("text", sent.text());
                item.put("at", sent.at().toString());
                item.put("body", sent.body());
                items.add(item);
            }
        }
        answer(exchange, 200, items);
    }

    private long keep(String provider, String to, String text, JsonNode body) {
        long id = ids.incrementAndGet();
        outbox.addLast(new Sent(id, provider, to, text, Instant.now(), body));
        while (outbox.size() > OUTBOX_SIZE) {
            outbox.pollFirst();
        }
        System.out.printf("%s to %s: %s%n", provider, to, text.length() > 200 ? text.substring(0, 200) + "..." : text);
        return id;
    }

    private void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(HttpExchange exchange) {
        return form(exchange.getRequestURI().getRawQuery());
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
