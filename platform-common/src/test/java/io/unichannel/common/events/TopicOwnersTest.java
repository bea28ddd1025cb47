package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who may speak on which topic: the owner only, and an event that names nobody is nobody's. */
class TopicOwnersTest {

    @Test
    void onlyATopicsOwnerMayPublishOnItAndAnUnnamedSourceNever() {
        assertThat(Topics.mayPublish(Topics.TICKET_EVENTS, Topics.TICKET_SERVICE)).isTrue();
        assertThat(Topics.mayPublish(Topics.TICKET_EVENTS, Topics.SURVEY_SERVICE)).isFalse();
        assertThat(Topics.mayPublish(Topics.TICKET_EVENTS, null)).as("a record without ce_source").isFalse();
        assertThat(Topics.mayPublish(Topics.DEAD_LETTERS, Topics.ANALYTICS_SERVICE)).isTrue();
        assertThat(Topics.mayPublish("someone-elses-topic", null)).as("no owner to check").isTrue();
        assertThat(Topics.mayPublish(null, Topics.TICKET_SERVICE)).isTrue();
    }
}
