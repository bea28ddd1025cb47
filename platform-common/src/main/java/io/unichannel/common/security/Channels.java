package io.unichannel.common.security;

import java.util.List;
import java.util.Optional;

/**
 * The customer channels. Each has its own Keycloak client, named {@code channel-<name>}, so a
 * token's authorized party ({@code azp}) tells which channel the customer is acting on.
 */
public final class Channels {

    public static final String APP = "app";
    public static final String WECHAT = "wechat";
    public static final String WEB = "web";
    public static final String HOTLINE = "hotline";
    public static final String SMS = "sms";
    public static final String STORE = "store";

    public static final List<String> ALL = List.of(APP, WECHAT, WEB, HOTLINE, SMS, STORE);

    private static final String CLIENT_PREFIX = "channel-";

    private Channels() {
    }

    /** The Keycloak client id of a channel. */
    public static String clientId(String channel) {
        return CLIENT_PREFIX + channel;
    }

    /** The channel a Keycloak client id belongs to, if it is a channel client. */
    public static Optional<String> fromClientId(String clientId) {
        if (clientId == null || !clientId.startsWith(CLIENT_PREFIX)) {
            return Optional.empty();
        }
        String channel = clientId.substring(CLIENT_PREFIX.length());
        return ALL.contains(channel) ? Optional.of(channel) : Optional.empty();
    }
}
