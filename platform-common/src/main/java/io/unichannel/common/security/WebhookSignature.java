package io.unichannel.common.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the operator's systems prove their webhook calls (the SMS platform, docs/channels/sms-platform.md; the OSS, docs/integrations/bss-oss.md;
 * the CTI, docs/channels/cti.md): a timestamp header (epoch seconds) and a signature header, the hex
 * HMAC-SHA256 of the timestamp, a newline and the body, with the secret both sides hold. A call
 * whose timestamp is further from now than the allowed skew is a replay.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when the call is authentic and fresh, else why not ({@code headers} names the two headers, e.g. X-Sms). */
    public static String problem(String headers, String secret, String timestamp, String signature, String body,
            Duration maxSkew, Instant now) {
        if (timestamp == null || signature == null || timestamp.isEmpty() || timestamp.length() > 12
                || !timestamp.chars().allMatch(Character::isDigit)) {
            return headers + "-Timestamp and " + headers + "-Signature are required";
        }
        if (!MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return "the signature does not match";
        }
        if (Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) > maxSkew.toSeconds()) {
            return "the timestamp is too far from now (a replay?)";
        }
        return null;
    }
}
