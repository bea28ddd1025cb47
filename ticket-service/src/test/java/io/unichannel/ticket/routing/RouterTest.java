package io.unichannel.ticket.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The ranking alone: who is left out and why, and the order of those who are not. */
class RouterTest {

    private static final Instant NOW = Instant.parse("2026-11-30T02:00:00Z");
    private static final RoutingPolicy.Target IN_REGION = new RoutingPolicy.Target("in-region", null,
            new RoutingPolicy.AgentCondition("complaint", 1, 0, true), 60);

    private static Router.AgentView agent(String id, String region, int skill, int seniority, int load, int capacity) {
        return new Router.AgentView(id, Set.of(region), Map.of("complaint", skill), seniority, Map.of("total", capacity),
                "available", Map.of("complaint", load), load, false, null);
    }

    @Test
    void agentsWhoCannotTakeTheTicketAreLeftOutWithTheirReason() {
        Router.TicketView ticket = new Router.TicketView("TT-1", "complaint", "gz-tianhe", "standard", null);
        List<Router.AgentView> agents = List.of(
                agent("ok", "gz-tianhe", 2, 2, 0, 5),
                agent("full", "gz-tianhe", 3, 2, 5, 5),
                agent("far", "sz-nanshan", 3, 2, 0, 5),
                agent("unskilled", "gz-tianhe", 0, 3, 0, 5),
                new Router.AgentView("away", Set.of("gz-tianhe"), Map.of("complaint", 3), 3, Map.of("total", 5), "away",
                        Map.of(), 0, false, null),
                new Router.AgentView("busy-offer", Set.of("gz-tianhe"), Map.of("complaint", 3), 3, Map.of("total", 5),
                        "available", Map.of(), 0, true, null),
                agent("said-no", "gz-tianhe", 3, 3, 0, 5));
        Router.Ranking ranking = Router.rank(ticket, IN_REGION, agents, Set.of("said-no"), true, NOW);
        assertThat(ranking.candidates()).extracting(Router.Candidate::agentId).containsExactly("ok");
        assertThat(ranking.excluded()).containsEntry("at capacity", 1).containsEntry("another region", 1)
                .containsEntry("lacks the skill", 1).containsEntry("not available", 1).containsEntry("holds an offer", 1)
                .containsEntry("declined or let an offer lapse", 1);
    }

    @Test
    void seniorsGoToHighValueCustomersTheLastAgentIsPreferredAndLoadCounts() {
        List<Router.AgentView> agents = List.of(agent("senior", "gz-tianhe", 2, 3, 0, 5), agent("junior", "gz-tianhe", 2, 1, 0, 5));
        Router.TicketView gold = new Router.TicketView("TT-1", "complaint", "gz-tianhe", "gold", null);
        Router.TicketView standard = new Router.TicketView("TT-2", "complaint", "gz-tianhe", "standard", null);
        assertThat(Router.rank(gold, IN_REGION, agents, Set.of(), true, NOW).candidates().get(0).agentId()).isEqualTo("senior");
        assertThat(Router.rank(standard, IN_REGION, agents, Set.of(), true, NOW).candidates().get(0).agentId()).isEqualTo("junior");

        Router.TicketView returning = new Router.TicketView("TT-3", "complaint", "gz-tianhe", "standard", "senior");
        Router.Candidate first = Router.rank(returning, IN_REGION, agents, Set.of(), true, NOW).candidates().get(0);
        assertThat(first.agentId()).isEqualTo("senior");
        assertThat(first.factors()).containsEntry("servedThisCustomerLast", 50.0);
        assertThat(Router.rank(returning, IN_REGION, agents, Set.of(), false, NOW).candidates().get(0).agentId()).isEqualTo("junior");

        List<Router.AgentView> loaded = List.of(agent("busy", "gz-tianhe", 2, 2, 4, 5), agent("free", "gz-tianhe", 2, 2, 0, 5));
        assertThat(Router.rank(standard, IN_REGION, loaded, Set.of(), true, NOW).candidates())
                .extracting(Router.Candidate::agentId).containsExactly("free", "busy");
    }

    @Test
    void urgentTicketsAreWorkedBeforeTicketsDueEarlierButLessUrgent() {
        Instant due = NOW.plusSeconds(3 * 3600);
        assertThat(Router.orderKey(due, "urgent")).isLessThan(Router.orderKey(NOW.plusSeconds(3600), "medium"));
        assertThat(Router.orderKey(due, "low")).isGreaterThan(Router.orderKey(due, "medium"));
    }

    @Test
    void aPolicyWhoseWidestTargetLeavesTicketsOutIsRefused() {
        String narrowEnd = """
                {"version":"x","offerTimeoutSeconds":30,"unownedLimitSeconds":600,"queues":[{"name":"q","ticketTypes":["complaint"],
                 "targets":[{"name":"vip","when":{"valueTiers":["gold"]},"agents":{"skill":"complaint","minSkillLevel":1}}]}]}""";
        Assertions.assertThatThrownBy(() -> RoutingPolicies.read(new ByteArrayInputStream(narrowEnd.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("widest target");
    }
}
