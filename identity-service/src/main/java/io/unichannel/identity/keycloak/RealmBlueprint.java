package io.unichannel.identity.keycloak;

import java.util.List;
import java.util.Map;

import io.unichannel.common.security.Channels;
import io.unichannel.common.security.Roles;

/**
 * What the platform realm must contain: roles, user-profile attributes, client scopes and one
 * client per channel and per service. {@link RealmProvisioner} makes Keycloak match it.
 */
public final class RealmBlueprint {

    /** The services; each validates tokens that name it as audience. */
    public static final List<String> SERVICES = List.of(
            "identity-service", "ticket-service", "channel-gateway", "survey-service", "analytics-service");

    /** Client scope that adds every platform service to a token's audience. */
    public static final String SERVICES_SCOPE = "platform-services";
    /** Client scope that carries the platform's own claims (customer id, region) into tokens. */
    public static final String CLAIMS_SCOPE = "platform-claims";
    /** Client scope that adds every channel client to a customer token's audience, for token exchange. */
    public static final String CHANNELS_SCOPE = "platform-channels";
    /**
     * The identity provider through which Keycloak accepts identity-service's sign-in assertions
     * (RFC 7523 JWT authorization grant): WeChat openid, one-time code, service password, counter check.
     */
    public static final String ASSERTION_IDP = "platform-identity";
    /** Staff sign on to the agent and supervisor consoles through this client. */
    public static final String STAFF_CONSOLE = "staff-console";

    public static final Map<String, String> ROLES = Map.of(
            Roles.CUSTOMER, "A customer of the operator, signed in on any channel",
            Roles.AGENT, "Service agent: works tickets in their skills and region",
            Roles.SUPERVISOR, "Supervisor: sees and reassigns their teams' tickets, escalations and KPIs",
            Roles.OPS, "Operations: runs the platform",
            Roles.CHANNEL_ADAPTER, "A channel adapter acting server to server (resolve, channel sign-in)",
            Roles.PARTNER, "A partner system on the TMF621 API: opens and follows the tickets it is entitled to, subscribes to their events",
            Roles.ADMIN, "Administrator: may delete tickets");

    /** A user-profile attribute: admin-managed, optionally mapped into tokens as a claim. */
    public record Attribute(String name, String displayName, boolean multivalued, String tokenClaim) {
    }

    public static final List<Attribute> ATTRIBUTES = List.of(
            new Attribute("customerId", "Customer id", false, "customer_id"),
            new Attribute("msisdn", "Mobile number (MSISDN)", false, null),
            new Attribute("wechatOpenId", "WeChat openid", false, null),
            new Attribute("wechatUnionId", "WeChat unionid", false, null),
            new Attribute("appAccount", "APP account", false, null),
            new Attribute("valueTier", "Customer value tier", false, "value_tier"),
            new Attribute("region", "Region", false, "region"),
            new Attribute("preferredChannel", "Preferred channel", false, null),
            new Attribute("skills", "Agent skills", true, "skills"),
            new Attribute("seniority", "Agent seniority", false, null),
            new Attribute("department", "Department (owns pain points of its process nodes)", false, "department"),
            new Attribute("mobile", "Staff mobile (where notices by text go)", false, null),
            new Attribute("noticeChannel", "Where staff notices go besides the desk (desk, sms)", false, null));

    /**
     * How a client signs on.
     *
     * @param publicClient   true for apps on the customer's device or browser (no secret)
     * @param passwordLogin  direct username/password sign-in (resource owner grant)
     * @param browserLogin   authorization code flow with PKCE
     * @param serviceAccount client-credentials grant for server-to-server calls
     */
    public record ClientSpec(String clientId, String name, boolean publicClient, boolean passwordLogin,
            boolean browserLogin, boolean serviceAccount) {
    }

    /**
     * Channel clients. Token exchange between them lets a customer move channel without signing on
     * again; Keycloak allows it only to confidential clients, so the web channel signs on through its
     * server side (backend for frontend) and only the APP, on the customer's phone, is public.
     */
    public static final List<ClientSpec> CHANNEL_CLIENTS = List.of(
            new ClientSpec(Channels.clientId(Channels.APP), "Mobile APP", true, true, true, false),
            new ClientSpec(Channels.clientId(Channels.WEB), "Web self-service (server side)", false, true, true, false),
            new ClientSpec(Channels.clientId(Channels.WECHAT), "WeChat official account adapter", false, false, false, true),
            new ClientSpec(Channels.clientId(Channels.HOTLINE), "Hotline / IVR adapter", false, false, false, true),
            new ClientSpec(Channels.clientId(Channels.SMS), "SMS adapter", false, false, false, true),
            new ClientSpec(Channels.clientId(Channels.STORE), "Retail store counter", false, true, true, true));

    /** Channels whose adapters redeem identity-service's sign-in assertions for a customer token. */
    public static final List<String> ASSERTION_CLIENTS = List.of(Channels.clientId(Channels.WECHAT),
            Channels.clientId(Channels.HOTLINE), Channels.clientId(Channels.SMS), Channels.clientId(Channels.STORE));

    /** Service accounts that act as channel adapters (role channel-adapter). */
    public static final List<String> ADAPTER_ACCOUNTS = List.of(Channels.clientId(Channels.WECHAT),
            Channels.clientId(Channels.HOTLINE), Channels.clientId(Channels.SMS), Channels.clientId(Channels.STORE),
            "channel-gateway");

    /** The agent desk's server side (ticket-service): a browser sign-on whose tokens never reach the browser. */
    public static final String STAFF_DESK = "staff-desk";

    public static final List<ClientSpec> STAFF_CLIENTS = List.of(
            new ClientSpec(STAFF_CONSOLE, "Agent and supervisor consoles", true, true, true, false),
            new ClientSpec(STAFF_DESK, "Agent desk (server side)", false, false, true, false));

    public static final List<ClientSpec> SERVICE_CLIENTS = SERVICES.stream()
            .map(service -> new ClientSpec(service, service, false, false, false, true)).toList();

    private RealmBlueprint() {
    }

    /** Every client the realm must have. */
    public static List<ClientSpec> allClients() {
        return java.util.stream.Stream.of(CHANNEL_CLIENTS, STAFF_CLIENTS, SERVICE_CLIENTS)
                .flatMap(List::stream).toList();
    }
}
