package io.unichannel.gateway.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;

/**
 * The operator's SMS platform: one text message per call, JSON {@code to}, {@code text},
 * {@code reference} (the notification id, which the platform uses to drop duplicates).
 */
public interface SmsPlatformClient {

    record SmsMessage(String to, String text, String reference) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    void send(@HeaderParam("Authorization") String authorization, SmsMessage message);
}
