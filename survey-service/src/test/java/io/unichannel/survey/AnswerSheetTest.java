package io.unichannel.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** Scoring answers and the contact rules: pure logic over the shipped definitions. */
class AnswerSheetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SurveyDefinitions SHIPPED = SurveyDefinitions.read(Optional.empty(), JSON);

    @Test
    void aPageAnswerIsScoredIntoMeasuresAndDimensions() throws Exception {
        Questionnaire q = SHIPPED.forServiceType("faultRepair").orElseThrow();
        AnswerSheet sheet = AnswerSheet.fromPage(q, JSON.readTree(
                "{\"csat\":5,\"punctuality\":3,\"solved\":true,\"fcr\":false,\"engineer\":\"专业\",\"nps\":10}"));
        assertThat(sheet.csat()).isEqualTo(5);
        assertThat(sheet.nps()).isEqualTo(10);
        assertThat(sheet.fcr()).isFalse();
        // quality: csat 5 -> 100 and solved yes -> 100; efficiency: punctuality 3 -> 50 and fcr no -> 0; experience: nps 10 -> 100.
        assertThat(sheet.dimensions()).containsEntry("quality", 100.0).containsEntry("efficiency", 25.0).containsEntry("experience", 100.0);
        assertThat(sheet.followUpReason()).isNull();
    }

    @Test
    void lowAnswersAskForAFollowUpAndTheLowScoreQuestionIsRequiredOnlyThen() throws Exception {
        Questionnaire q = SHIPPED.forServiceType("complaint").orElseThrow();
        String low = "{\"csat\":1,\"thoroughness\":1,\"speed\":1,\"solved\":false,\"fcr\":false,\"nps\":0}";
        assertThat(AnswerSheet.fromPage(q, JSON.readTree(low)).followUpReason()).isEqualTo("notSolved");
        String detractor = "{\"csat\":4,\"thoroughness\":4,\"speed\":4,\"solved\":true,\"fcr\":true,\"nps\":6}";
        assertThat(AnswerSheet.fromPage(q, JSON.readTree(detractor)).followUpReason()).isEqualTo("detractor");
        String passive = "{\"csat\":4,\"thoroughness\":4,\"speed\":4,\"solved\":true,\"fcr\":true,\"nps\":7,\"why\":\"ignored\"}";
        AnswerSheet sheet = AnswerSheet.fromPage(q, JSON.readTree(passive));
        assertThat(sheet.followUpReason()).isNull();
        assertThat(sheet.comment()).as("not asked after a good score").isNull();
        assertThatThrownBy(() -> AnswerSheet.fromPage(q, JSON.readTree("{\"csat\":3}"))).isInstanceOf(AnswerSheet.Invalid.class)
                .hasMessageContaining("not answered");
    }

    @Test
    void keysAnswerOnlyWhatTheChannelAsked() {
        Questionnaire q = SHIPPED.forServiceType("faultRepair").orElseThrow();
        AnswerSheet ivr = AnswerSheet.fromKeys(q, q.askedOn("hotline"), Map.of("csat", "4", "fcr", "1"));
        assertThat(ivr.csat()).isEqualTo(4);
        assertThat(ivr.fcr()).isTrue();
        assertThatThrownBy(() -> AnswerSheet.fromKeys(q, q.askedOn("sms"), Map.of("nps", "9")))
                .isInstanceOf(AnswerSheet.Invalid.class);
        assertThatThrownBy(() -> AnswerSheet.fromKeys(q, q.askedOn("hotline"), Map.of("csat", "7", "fcr", "1")))
                .isInstanceOf(AnswerSheet.Invalid.class);
    }

    @Test
    void contactRulesCountEveryChannelAndQuietHoursHoldInvitationsUntilMorning() {
        ContactPolicy policy = new ContactPolicy(SHIPPED);
        Instant now = Instant.parse("2026-11-30T04:00:00Z");
        assertThat(policy.suppression("TT-1", "complaint", now, null, 0)).isEmpty();
        assertThat(policy.suppression("TT-1", "complaint", now, now.minusSeconds(86400 * 20), 1)).contains("frequency");
        assertThat(policy.suppression("TT-1", "complaint", now, now.minusSeconds(86400 * 3), 0)).contains("minGap");
        // 22:30 in Shanghai is quiet: the invitation goes at 08:00 the next morning.
        assertThat(policy.sendableAt(Instant.parse("2026-11-30T14:30:00Z"))).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(policy.sendableAt(Instant.parse("2026-11-30T03:00:00Z"))).isEqualTo(Instant.parse("2026-11-30T03:00:00Z"));
        long sampled = java.util.stream.IntStream.range(0, 10_000).filter(i -> ContactPolicy.sampled("TT-" + i, 0.3)).count();
        assertThat(sampled).isBetween(2_700L, 3_300L);
    }
}
