package io.unichannel.ticket.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Two policies over the same recorded tickets: the one that uses the whole team keeps more promises. */
class PolicyReplayTest {

    private static final Instant START = Instant.parse("2026-11-30T01:00:00Z");

    private static RoutingPolicy policy(String version, RoutingPolicy.AgentCondition agents) {
        return new RoutingPolicy(version, "", 60, 1800, false, List.of(new RoutingPolicy.Queue("complaints", List.of("complaint"),
                List.of(new RoutingPolicy.Target("only", null, agents, 0)))));
    }

    @Test
    void aPolicyThatWaitsForSeniorsKeepsFewerPromisesAndLoadsThemUnevenly() {
        List<PolicyReplay.RosterAgent> roster = List.of(
                new PolicyReplay.RosterAgent("senior", Set.of("gz-tianhe"), Map.of("complaint", 3), 3, 1),
                new PolicyReplay.RosterAgent("junior-1", Set.of("gz-tianhe"), Map.of("complaint", 1), 1, 1),
                new PolicyReplay.RosterAgent("junior-2", Set.of("gz-tianhe"), Map.of("complaint", 1), 1, 1));
        List<PolicyReplay.Arrival> recorded = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant at = START.plus(Duration.ofMinutes(i));
            recorded.add(new PolicyReplay.Arrival("TT-" + i, "complaint", "gz-tianhe", "standard", "medium", at,
                    at.plus(Duration.ofMinutes(65)), Duration.ofMinutes(30)));
        }
        PolicyReplay.Outcome seniorsOnly = PolicyReplay.replay(policy("seniors-only",
                new RoutingPolicy.AgentCondition("complaint", 1, 3, true)), recorded, roster);
        PolicyReplay.Outcome wholeTeam = PolicyReplay.replay(policy("whole-team",
                new RoutingPolicy.AgentCondition("complaint", 1, 0, true)), recorded, roster);

        assertThat(seniorsOnly.routed()).isEqualTo(6);
        // One senior, 30 minutes a ticket, a promise of 65 minutes: the first two are kept.
        assertThat(seniorsOnly.metPromise()).isEqualTo(2);
        assertThat(seniorsOnly.maxPerAgent()).isEqualTo(6);
        assertThat(seniorsOnly.minPerAgent()).isZero();
        // Three agents: every promise is kept and each takes two.
        assertThat(wholeTeam.metPromise()).isEqualTo(6);
        assertThat(wholeTeam.attainment()).isEqualTo(100.0);
        assertThat(wholeTeam.minPerAgent()).isEqualTo(2);
        assertThat(wholeTeam.spreadCv()).isLessThan(seniorsOnly.spreadCv());
        assertThat(wholeTeam.waitP90Minutes()).isLessThan(seniorsOnly.waitP90Minutes());
    }

    @Test
    void aTicketNoTargetCanServeStaysUnroutedAndABullseyeTimeoutWidensAtItsTime() {
        RoutingPolicy bullseye = new RoutingPolicy("bullseye", "", 60, 1800, false, List.of(new RoutingPolicy.Queue("complaints",
                List.of("complaint"), List.of(
                        new RoutingPolicy.Target("in-region", null, new RoutingPolicy.AgentCondition("complaint", 1, 0, true), 600),
                        new RoutingPolicy.Target("anywhere", null, new RoutingPolicy.AgentCondition("complaint", 1, 0, false), 0)))));
        List<PolicyReplay.RosterAgent> elsewhere = List.of(
                new PolicyReplay.RosterAgent("far", Set.of("sz-nanshan"), Map.of("complaint", 2), 2, 2));
        PolicyReplay.Arrival ticket = new PolicyReplay.Arrival("TT-1", "complaint", "gz-tianhe", null, "medium", START,
                START.plus(Duration.ofHours(2)), Duration.ofMinutes(20));
        PolicyReplay.Outcome widened = PolicyReplay.replay(bullseye, List.of(ticket), elsewhere);
        assertThat(widened.routed()).isEqualTo(1);
        assertThat(widened.waitP50Minutes()).as("taken when the in-region target timed out").isEqualTo(10.0);

        PolicyReplay.Outcome stuck = PolicyReplay.replay(policy("region-only",
                new RoutingPolicy.AgentCondition("complaint", 1, 0, true)), List.of(ticket), elsewhere);
        assertThat(stuck.routed()).isZero();
        assertThat(stuck.attainment()).isZero();
    }
}
