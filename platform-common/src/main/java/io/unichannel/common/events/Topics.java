package io.unichannel.common.events;

import java.util.List;

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

    public static final List<String> ALL = List.of(
            CHANNEL_REQUESTS, TICKET_EVENTS, IDENTITY_EVENTS, SURVEY_EVENTS,
            NOTIFICATIONS, KPI_SNAPSHOTS, SERVICE_ALERTS, DEAD_LETTERS);

    private Topics() {
    }
}
