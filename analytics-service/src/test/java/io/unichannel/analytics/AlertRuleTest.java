package io.unichannel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Thresholds with hysteresis and a minimum sample; a rules file with a mistake is refused whole. */
class AlertRuleTest {

    private static final AlertRule ABOVE = new AlertRule("complaint-rate", "complaintRate", List.of("region"), 0.5, 0.3, null,
            null, 10, "major", List.of("supervisors"));
    private static final AlertRule BELOW = new AlertRule("csat", "csat", List.of(), null, null, 0.7, 0.8, 5, "minor", null);

    @Test
    void anAlertRaisesPastOneThresholdAndClearsOnlyPastTheOther() {
        assertThat(ABOVE.raises(0.6, 10)).isTrue();
        assertThat(ABOVE.raises(0.6, 9)).as("too few to judge").isFalse();
        assertThat(ABOVE.raises(0.4, 100)).isFalse();
        assertThat(ABOVE.clears(0.4, 100)).as("between the thresholds: stays raised").isFalse();
        assertThat(ABOVE.clears(0.29, 100)).isTrue();
        assertThat(ABOVE.clears(null, 0)).as("nothing left to judge").isTrue();
        assertThat(BELOW.raises(0.69, 5)).isTrue();
        assertThat(BELOW.clears(0.75, 50)).isFalse();
        assertThat(BELOW.clears(0.81, 50)).isTrue();
        assertThat(BELOW.audience()).containsExactly("ops");
    }

    @Test
    void theShippedRulesAreSoundAndAMistakeIsRefusedWithTheReason() {
        assertThat(AlertRules.load(null).rules()).extracting(AlertRule::kpi)
                .contains("complaintRate", "slaCompliance", "backlog", "connectRate", "csat");
        AlertRule inverted = new AlertRule("bad", "complaintRate", List.of(), 0.3, 0.5, null, null, 0, "major", null);
        assertThatThrownBy(() -> new AlertRules("v1", List.of(inverted)).check()).hasMessageContaining("good side");
        AlertRule unknown = new AlertRule("bad", "happiness", List.of(), 0.3, 0.2, null, null, 0, "major", null);
        assertThatThrownBy(() -> new AlertRules("v1", List.of(unknown)).check()).hasMessageContaining("no KPI happiness");
        assertThatThrownBy(() -> new AlertRules("v1", List.of(ABOVE, ABOVE)).check()).hasMessageContaining("twice");
    }
}
