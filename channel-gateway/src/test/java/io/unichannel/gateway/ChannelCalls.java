package io.unichannel.gateway;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.wechat.WeChatCrypto;
import io.unichannel.gateway.wechat.WeChatXml;

/** Calls as the operator's third parties make them: the SMS platform's webhooks and WeChat's callbacks, signed. */
public final class ChannelCalls {

    private ChannelCalls() {
    }

    /** A webhook body signed as the SMS platform signs it. */
    public static RequestSpecification smsSigned(String secret, String body, long timestamp) {
        return given().contentType(ContentType.JSON).body(body).header("X-Sms-Timestamp", String.valueOf(timestamp))
                .header("X-Sms-Signature", WebhookSignature.sign(secret, String.valueOf(timestamp), body));
    }

    /** One text from a handset to the service number, as the SMS platform posts it. */
    public static Response smsInbound(String secret, String msisdn, String content, String id) {
        String body = "[{\"phone_number\":\"" + msisdn + "\",\"content\":\"" + content + "\",\"send_time\":\"2026-11-30 08:00:00\","
                + "\"dest_code\":\"10690001\",\"sequence_id\":\"" + id + "\"}]";
        return smsSigned(secret, body, Instant.now().getEpochSecond()).post("/channels/sms/inbound");
    }

    /** A WeChat message XML from a follower to the official account. */
    public static String wechatMessage(String from, String type, String... fields) {
        Map<String, String> message = new LinkedHashMap<>();
        message.put("ToUserName", "gh_local_account");
        message.put("FromUserName", from);
        message.put("CreateTime", String.valueOf(Instant.now().getEpochSecond()));
        message.put("MsgType", type);
        for (int i = 0; i < fields.length; i += 2) {
            message.put(fields[i], fields[i + 1]);
        }
        return WeChatXml.write(message);
    }

    /** A plaintext-mode callback signed with the account's token. */
    public static Response wechatPlain(String token, String body, long timestamp) {
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        return given().contentType("text/xml; charset=UTF-8").body(body)
                .queryParam("signature", WeChatCrypto.signature(token, String.valueOf(timestamp), nonce))
                .queryParam("timestamp", timestamp).queryParam("nonce", nonce).post("/channels/wechat");
    }
}
