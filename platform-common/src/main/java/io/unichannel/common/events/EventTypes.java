package io.unichannel.common.events;

import java.util.List;
import java.util.Map;

/**
 * Every event type the platform emits, grouped by the topic that carries it. Each type has one
 * JSON Schema, docs/events/&lt;type&gt;.schema.json.
 */
public final class EventTypes {

    public static final String CHANNEL_REQUEST_SUBMITTED = "ChannelRequestSubmitted";

    public static final String TROUBLE_TICKET_CREATE = "TroubleTicketCreateEvent";
    public static final String TROUBLE_TICKET_STATUS_CHANGE = "TroubleTicketStatusChangeEvent";
    public static final String TROUBLE_TICKET_RESOLVED = "TroubleTicketResolvedEvent";
    public static final String TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE = "TroubleTicketAttributeValueChangeEvent";
    public static final String TROUBLE_TICKET_INFORMATION_REQUIRED = "TroubleTicketInformationRequiredEvent";
    public static final String TROUBLE_TICKET_DELETE = "TroubleTicketDeleteEvent";
    /** An SLA clock reached a warning fraction of its target (no TMF621 name exists for SLA events). */
    public static final String TROUBLE_TICKET_SLA_WARNING = "TroubleTicketSlaWarningEvent";
    /** An SLA clock passed its target. */
    public static final String TROUBLE_TICKET_SLA_BREACH = "TroubleTicketSlaBreachEvent";
    /** A step of the escalation ladder after a breach: priority raised, reassigned, responsible person paged. */
    public static final String TROUBLE_TICKET_ESCALATION = "TroubleTicketEscalationEvent";
    /** A routing decision about a ticket (offered, widened, accepted, ...): staff and analytics only. */
    public static final String TROUBLE_TICKET_ROUTED = "TroubleTicketRoutedEvent";

    public static final String CUSTOMER_REGISTERED = "CustomerRegistered";
    public static final String CHANNEL_IDENTITY_BOUND = "ChannelIdentityBound";
    public static final String CHANNEL_IDENTITY_UNBOUND = "ChannelIdentityUnbound";
    public static final String CUSTOMERS_MERGED = "CustomersMerged";

    public static final String SURVEY_INVITATION_SENT = "SurveyInvitationSent";
    public static final String SURVEY_RESPONSE_RECEIVED = "SurveyResponseReceived";
    /** A detractor or "not solved" answer: a follow-up ticket is to be opened and acted on within 48 h. */
    public static final String SURVEY_FOLLOW_UP_REQUESTED = "SurveyFollowUpRequested";
    /** A verification re-survey after a follow-up: the customer says whether the problem is now fixed. */
    public static final String SURVEY_VERIFICATION_RECORDED = "SurveyVerificationRecorded";
    /** Key presses or a digit a customer gave to a survey on a channel (SMS, IVR), for survey-service to record. */
    public static final String SURVEY_REPLY_CAPTURED = "SurveyReplyCaptured";

    public static final String NOTIFICATION_REQUESTED = "NotificationRequested";
    public static final String KPI_SNAPSHOT = "KpiSnapshot";
    public static final String SERVICE_ALERT_RAISED = "ServiceAlertRaised";
    /** A raised alert's KPI came back past its clear threshold (or there is nothing left to judge). */
    public static final String SERVICE_ALERT_CLEARED = "ServiceAlertCleared";
    /** A pain point opened, was answered with a plan or a pilot, went overdue, or was verified (service-alerts). */
    public static final String PAIN_POINT_CHANGED = "PainPointChanged";
    public static final String DEAD_LETTER = "DeadLetter";
    public static final String STAFF_ACCESS_RECORDED = "StaffAccessRecorded";
    /** A hotline call (TMF683 Party Interaction) was connected to an agent, abandoned, or ended. */
    public static final String PARTY_INTERACTION_STATE_CHANGE = "PartyInteractionStateChangeEvent";

    /** Which event types travel on which topic. */
    public static final Map<String, List<String>> BY_TOPIC = Map.ofEntries(
            Map.entry(Topics.CHANNEL_REQUESTS, List.of(CHANNEL_REQUEST_SUBMITTED)),
            Map.entry(Topics.TICKET_EVENTS, List.of(TROUBLE_TICKET_CREATE, TROUBLE_TICKET_STATUS_CHANGE,
                    TROUBLE_TICKET_RESOLVED, TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE,
                    TROUBLE_TICKET_INFORMATION_REQUIRED, TROUBLE_TICKET_DELETE, TROUBLE_TICKET_SLA_WARNING,
                    TROUBLE_TICKET_SLA_BREACH, TROUBLE_TICKET_ESCALATION, TROUBLE_TICKET_ROUTED)),
            Map.entry(Topics.IDENTITY_EVENTS, List.of(CUSTOMER_REGISTERED, CHANNEL_IDENTITY_BOUND,
                    CHANNEL_IDENTITY_UNBOUND, CUSTOMERS_MERGED)),
            Map.entry(Topics.SURVEY_EVENTS, List.of(SURVEY_INVITATION_SENT, SURVEY_RESPONSE_RECEIVED, SURVEY_FOLLOW_UP_REQUESTED,
                    SURVEY_VERIFICATION_RECORDED)),
            Map.entry(Topics.NOTIFICATIONS, List.of(NOTIFICATION_REQUESTED)),
            Map.entry(Topics.KPI_SNAPSHOTS, List.of(KPI_SNAPSHOT)),
            Map.entry(Topics.SERVICE_ALERTS, List.of(SERVICE_ALERT_RAISED, SERVICE_ALERT_CLEARED, PAIN_POINT_CHANGED)),
            Map.entry(Topics.DEAD_LETTERS, List.of(DEAD_LETTER)),
            Map.entry(Topics.AUDIT_EVENTS, List.of(STAFF_ACCESS_RECORDED)),
            Map.entry(Topics.INTERACTION_EVENTS, List.of(PARTY_INTERACTION_STATE_CHANGE)),
            Map.entry(Topics.SURVEY_REPLIES, List.of(SURVEY_REPLY_CAPTURED)));

    private EventTypes() {
    }

    /** The URN that names an event type's JSON Schema (the schema's {@code $id}). */
    public static String schemaUrn(String type) {
        return "urn:unichannel:event-schema:" + type;
    }
}
