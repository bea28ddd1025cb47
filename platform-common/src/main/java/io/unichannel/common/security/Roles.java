package io.unichannel.common.security;

import java.util.List;

/** The platform's realm roles, as provisioned in Keycloak and checked by every service. */
public final class Roles {

    public static final String CUSTOMER = "customer";
    public static final String AGENT = "agent";
    public static final String SUPERVISOR = "supervisor";
    public static final String OPS = "ops";
    /** A channel adapter's service account (WeChat, hotline, SMS, store, gateway) acting server to server. */
    public static final String CHANNEL_ADAPTER = "channel-adapter";

    public static final List<String> ALL = List.of(CUSTOMER, AGENT, SUPERVISOR, OPS, CHANNEL_ADAPTER);

    private Roles() {
    }
}
