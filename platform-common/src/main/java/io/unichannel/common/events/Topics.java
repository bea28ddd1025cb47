package io.unichannel.common.events;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names of every Kafka topic the platform uses; the only place a topic name is spelled out.
 */
public final class Topics {

    /** Canonical customer requests from every channel adapter, keyed by request id. */
    public static final String CHANNEL_REQUESTS = "channel-requests";
    /** TMF621 trouble ticket events, keyed by ticket id (per-ticket order). */
    public static final String TICKET_EVENTS = "ticket-events";
    /** Customer registry events, keyed by customer id. */
    public static final String IDENTITY_EVENTS = "identity-events";
    /** Survey invitations and answers, keyed by survey invitation id. */
    public static final String SURVEY_EVENTS = "survey-events";
    /** Outbound messages for the channel senders (one-time codes, progress pushes, survey invitations). */
    public static final String NOTIFICATIONS = "notifications";
    /** Periodic KPI values for BI consumers, keyed by KPI and dimension. */
    public static final String KPI_SNAPSHOTS = "kpi-snapshots";
    /** Threshold breaches that start an early-warning response, keyed by alert rule. */
    public static final String SERVICE_ALERTS = "service-alerts";
    /** Records a consumer could not process, with the reason in the headers. */
    public static final String DEAD_LETTERS = "dead-letters";
    /** Who read or changed whose personal data or ticket, for the operator's SIEM; keyed by staff id. */
    public static final String AUDIT_EVENTS = "audit-events";
    /** Customers' interactions with the contact centre (hotline calls: connected, abandoned, ended), keyed by call id. */
    public static final String INTERACTION_EVENTS = "interaction-events";
    /** Survey answers customers gave on a channel (an SMS digit, IVR key presses), keyed by invitation id. */
    public static final String SURVEY_REPLIES = "survey-replies";

    public static final List<String> ALL = List.of(
            CHANNEL_REQUESTS, TICKET_EVENTS, IDENTITY_EVENTS, SURVEY_EVENTS,
            NOTIFICATIONS, KPI_SNAPSHOTS, SERVICE_ALERTS, DEAD_LETTERS, AUDIT_EVENTS, INTERACTION_EVENTS, SURVEY_REPLIES);

    /** The CloudEvents source of each service: {@code /unichannel/} and its application name. */
    public static final String IDENTITY_SERVICE = "/unichannel/identity-service";
    public static final String TICKET_SERVICE = "/unichannel/ticket-service";
    public static final String CHANNEL_GATEWAY = "/unichannel/channel-gateway";
    public static final String SURVEY_SERVICE = "/unichannel/survey-service";
    public static final String ANALYTICS_SERVICE = "/unichannel/analytics-service";
    private static final Set<String> EVERY_SERVICE = Set.of(IDENTITY_SERVICE, TICKET_SERVICE, CHANNEL_GATEWAY,
            SURVEY_SERVICE, ANALYTICS_SERVICE);

    /**
     * The services allowed to publish on each topic. Consumers refuse (dead-letter) an event whose
     * {@code ce_source} is not among its topic's owners; in Kubernetes the Kafka ACLs
     * (deploy/k8s/infra/kafka-users.yaml) hold the same table, so a pod can neither write another
     * service's topic nor pass its events off under another name.
     */
    public static final Map<String, Set<String>> OWNERS = Map.ofEntries(
            Map.entry(CHANNEL_REQUESTS, Set.of(CHANNEL_GATEWAY)),
            Map.entry(TICKET_EVENTS, Set.of(TICKET_SERVICE)),
            Map.entry(IDENTITY_EVENTS, Set.of(IDENTITY_SERVICE)),
            Map.entry(SURVEY_EVENTS, Set.of(SURVEY_SERVICE)),
            Map.entry(NOTIFICATIONS, Set.of(IDENTITY_SERVICE, TICKET_SERVICE, SURVEY_SERVICE, ANALYTICS_SERVICE)),
            Map.entry(KPI_SNAPSHOTS, Set.of(ANALYTICS_SERVICE)),
            Map.entry(SERVICE_ALERTS, Set.of(ANALYTICS_SERVICE)),
            Map.entry(DEAD_LETTERS, EVERY_SERVICE),
            Map.entry(AUDIT_EVENTS, EVERY_SERVICE),
            Map.entry(INTERACTION_EVENTS, Set.of(CHANNEL_GATEWAY)),
            Map.entry(SURVEY_REPLIES, Set.of(CHANNEL_GATEWAY)));

    /**
     * True when {@code source} may publish on {@code topic}; topics outside the platform's have no
     * owner to check. An event that names no source is nobody's on an owned topic.
     */
    public static boolean mayPublish(String topic, String source) {
        Set<String> owners = topic == null ? null : OWNERS.get(topic);
        return owners == null || source != null && owners.contains(source);
    }

    private Topics() {
    }
}
