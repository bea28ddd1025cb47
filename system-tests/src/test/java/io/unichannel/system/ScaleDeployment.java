package io.unichannel.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.unichannel.common.events.Topics;
import io.unichannel.common.testing.KafkaTestSupport;

/**
 * Settings for packaged ticket-service and channel-gateway processes on the scale databases, in
 * consumer groups of this run's own that start at the topics' current end, so a test sees only
 * the records it caused.
 */
record ScaleDeployment(String ticketGroup, String gatewayGroup, Map<String, String> ticketSettings,
        Map<String, String> gatewaySettings) {

    static final String TICKET_DB = "ticket_scale";
    static final String GATEWAY_DB = "gateway_scale";

    /** New groups named after {@code name} and a random run id, created at the topics' end. */
    static ScaleDeployment fresh(String name) {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String ticketGroup = "ticket-service-" + run;
        String gatewayGroup = "channel-gateway-progress-" + run;
        KafkaTestSupport.startGroupAtEnd(ticketGroup, List.of(Topics.CHANNEL_REQUESTS, Topics.IDENTITY_EVENTS, Topics.SURVEY_EVENTS));
        String notificationGroup = "channel-gateway-notifications-" + run;
        KafkaTestSupport.startGroupAtEnd(notificationGroup, List.of(Topics.NOTIFICATIONS));
        String surveyNoticeGroup = "channel-gateway-surveys-" + run;
        KafkaTestSupport.startGroupAtEnd(surveyNoticeGroup, List.of(Topics.NOTIFICATIONS));
        String careNoticeGroup = "channel-gateway-care-" + run;
        KafkaTestSupport.startGroupAtEnd(careNoticeGroup, List.of(Topics.NOTIFICATIONS));
        String outageNoticeGroup = "channel-gateway-outages-" + run;
        KafkaTestSupport.startGroupAtEnd(outageNoticeGroup, List.of(Topics.NOTIFICATIONS));
        String staffNoticeGroup = "channel-gateway-staff-" + run;
        KafkaTestSupport.startGroupAtEnd(staffNoticeGroup, List.of(Topics.NOTIFICATIONS));
        KafkaTestSupport.startGroupAtEnd(gatewayGroup, List.of(Topics.CHANNEL_REQUESTS, Topics.TICKET_EVENTS,
                Topics.IDENTITY_EVENTS, Topics.DEAD_LETTERS));
        return new ScaleDeployment(ticketGroup, gatewayGroup,
                Map.of("DB_NAME", TICKET_DB,
                        "MP_MESSAGING_INCOMING_CHANNEL_REQUESTS_GROUP_ID", ticketGroup,
                        "MP_MESSAGING_INCOMING_IDENTITY_EVENTS_GROUP_ID", ticketGroup,
                        "MP_MESSAGING_INCOMING_SURVEY_EVENTS_GROUP_ID", ticketGroup),
                Map.of("DB_NAME", GATEWAY_DB,
                        "MP_MESSAGING_INCOMING_PROGRESS_GROUP_ID", gatewayGroup,
                        "MP_MESSAGING_INCOMING_NOTIFICATIONS_GROUP_ID", notificationGroup,
                        "MP_MESSAGING_INCOMING_SURVEY_NOTICES_GROUP_ID", surveyNoticeGroup,
                        "MP_MESSAGING_INCOMING_CARE_NOTICES_GROUP_ID", careNoticeGroup,
                        "MP_MESSAGING_INCOMING_OUTAGE_NOTICES_GROUP_ID", outageNoticeGroup,
                        "MP_MESSAGING_INCOMING_STAFF_NOTICES_GROUP_ID", staffNoticeGroup,
                        // Load tests push a few customers far past a person's intake limits.
                        "GATEWAY_LIMITS_CUSTOMER_PER_MINUTE", "1000000",
                        "GATEWAY_LIMITS_CUSTOMER_PER_DAY", "1000000"));
    }

    /** The same, with one more setting for channel-gateway. */
    ScaleDeployment withGatewaySetting(String name, String value) {
        Map<String, String> settings = new HashMap<>(gatewaySettings);
        settings.put(name, value);
        return new ScaleDeployment(ticketGroup, gatewayGroup, ticketSettings, Map.copyOf(settings));
    }

    /** The same, with one more setting for ticket-service. */
    ScaleDeployment withTicketSetting(String name, String value) {
        Map<String, String> settings = new HashMap<>(ticketSettings);
        settings.put(name, value);
        return new ScaleDeployment(ticketGroup, gatewayGroup, Map.copyOf(settings), gatewaySettings);
    }

    /**
     * Settings for packaged survey-service processes on survey_scale, in a consumer group of this
     * run's own that starts at the topics' end, with the test questionnaires (invitations go as soon
     * as they are due, no quiet hours, every resolution sampled). The map is mutable: a caller adds
     * the survey page's address once it knows the process's port.
     */
    static Map<String, String> surveySettings(String name) {
        String group = "survey-service-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaTestSupport.startGroupAtEnd(group, List.of(Topics.TICKET_EVENTS, Topics.SURVEY_REPLIES, Topics.IDENTITY_EVENTS));
        return new HashMap<>(Map.of("DB_NAME", "survey_scale",
                "MP_MESSAGING_INCOMING_TICKET_EVENTS_GROUP_ID", group,
                "MP_MESSAGING_INCOMING_SURVEY_REPLIES_GROUP_ID", group,
                "MP_MESSAGING_INCOMING_IDENTITY_EVENTS_GROUP_ID", group,
                "SURVEY_QUESTIONNAIRES_FILE",
                java.nio.file.Path.of("../survey-service/src/test/resources/questionnaires-test.json").toAbsolutePath().toString()));
    }
}
