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

    /**
     * A partner system's service account (network fault management, CRM, wholesale or field-service
     * contractor) using the TMF621 API: opens tickets for customers it serves, reads and follows
     * the tickets it is entitled to, subscribes to their events.
     */
    public static final String PARTNER = "partner";
    /** Administrators: the only ones who may delete a ticket (data retention, test data). */
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(CUSTOMER, AGENT, SUPERVISOR, OPS, CHANNEL_ADAPTER, PARTNER, ADMIN);

    private Roles() {
    }
}
