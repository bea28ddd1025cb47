package io.unichannel.gateway.notify;

import java.time.Duration;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.common.privacy.SealedSecrets;

/** The words of each notification template, as the customer reads them (Simplified Chinese). */
final class NotificationTexts {

    private NotificationTexts() {
    }

    static String render(JsonNode notification, SealedSecrets seal) {
        String template = notification.path("template").asText();
        JsonNode parameters = notification.path("parameters");
        return switch (template) {
            case "one-time-code" -> "【统一服务】您的验证码是" + seal.open(parameters.path("codeSealed").asText())
                    + "，" + validMinutes(notification) + "分钟内有效。请勿向任何人透露。";
            default -> throw new IllegalArgumentException("unknown template " + template);
        };
    }

    private static long validMinutes(JsonNode notification) {
        try {
            return Math.max(1, Duration.between(OffsetDateTime.parse(notification.path("requestedAt").asText()),
                    OffsetDateTime.parse(notification.path("expiresAt").asText())).toMinutes());
        } catch (RuntimeException e) {
            return 5;
        }
    }
}
