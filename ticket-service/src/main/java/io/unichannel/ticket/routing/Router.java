package io.unichannel.ticket.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who should get a ticket, and why: the agents a target allows, ranked by a score whose every
 * part is kept as a factor. Pure: the routing service feeds it the ticket, the target and the
 * agents' state as they are now, and records what it answers.
 */
public final class Router {

    private Router() {
    }

    /** An agent's state at the moment of the decision. */
    public record AgentView(String agentId, Set<String> regions, Map<String, Integer> skills, int seniority,
            Map<String, Integer> capacity, String presence, Map<String, Integer> loadByType, int totalLoad,
            boolean holdsOffer, Instant lastOfferedAt) {

        int capacityFor(String ticketType) {
            return capacity.getOrDefault(ticketType, capacity.getOrDefault("total", 0));
        }
    }

    /** What routing knows of the ticket. */
    public record TicketView(String ticketId, String ticketType, String region, String valueTier, String lastAgent) {
    }

    public record Candidate(String agentId, double score, Map<String, Object> factors) {
    }

    /** The best candidates (at most {@link #KEPT}), how many agents could have taken the ticket, and how many each reason kept out. */
    public record Ranking(List<Candidate> candidates, Map<String, Integer> excluded, int eligible) {
    }

    private static final Set<String> HIGH_VALUE = Set.of("gold", "platinum");

    /** How many of the best candidates a ranking keeps, with their factors; the rest are only counted. */
    public static final int KEPT = 10;

    /**
     * The target's agents, best first: the best {@link #KEPT} with every part of their score as a
     * factor, and how many agents each reason kept out. Scores are computed for every agent but
     * factors only for those kept, so a ranking over ten thousand agents stays small.
     */
    public static Ranking rank(TicketView ticket, RoutingPolicy.Target target, List<AgentView> agents, Set<String> declined,
            boolean preferLastAgent, Instant now) {
        RoutingPolicy.AgentCondition wanted = target.agents();
        boolean highValue = ticket.valueTier() != null && HIGH_VALUE.contains(ticket.valueTier());
        Map<String, Integer> excluded = new TreeMap<>();
        Comparator<Object[]> worstFirst = Comparator.<Object[]>comparingDouble(e -> (Double) e[0])
                .thenComparing(e -> ((AgentView) e[1]).agentId(), Comparator.reverseOrder());
        java.util.PriorityQueue<Object[]> best = new java.util.PriorityQueue<>(worstFirst);
        for (AgentView agent : agents) {
            String reason = exclusion(ticket, wanted, agent, declined);
            if (reason != null) {
                excluded.merge(reason, 1, Integer::sum);
                continue;
            }
            double score = score(ticket, wanted, agent, highValue, preferLastAgent, now, null);
            best.add(new Object[] {score, agent});
            if (best.size() > KEPT) {
                best.poll();
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Object[] e : best) {
            Map<String, Object> factors = new LinkedHashMap<>();
            AgentView agent = (AgentView) e[1];
            candidates.add(new Candidate(agent.agentId(), score(ticket, wanted, agent, highValue, preferLastAgent, now, factors),
                    factors));
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::agentId));
        int counted = agents.size() - excluded.values().stream().mapToInt(Integer::intValue).sum();
        return new Ranking(candidates, excluded, counted);
    }

    /** An agent's score for the ticket; with {@code factors}, every part of it is written there too. */
    private static double score(TicketView ticket, RoutingPolicy.AgentCondition wanted, AgentView agent, boolean highValue,
            boolean preferLastAgent, Instant now, Map<String, Object> factors) {
        double score = 0;
        int level = agent.skills().getOrDefault(wanted.skill(), 0);
        score += add(factors, "skillLevel", 10.0 * level);
        // Seniors for high-value customers; everyone else goes first to those who keep seniors free.
        score += add(factors, highValue ? "seniorityForHighValue" : "keepSeniorsFree",
                highValue ? 8.0 * agent.seniority() : -2.0 * agent.seniority());
        int total = Math.max(1, agent.capacity().getOrDefault("total", 1));
        score += add(factors, "load", -30.0 * agent.totalLoad() / total);
        long idleMinutes = agent.lastOfferedAt() == null ? 10 : Math.min(10, Duration.between(agent.lastOfferedAt(), now).toMinutes());
        score += add(factors, "idle", idleMinutes);
        if (preferLastAgent && agent.agentId().equals(ticket.lastAgent())) {
            score += add(factors, "servedThisCustomerLast", 50.0);
        }
        return score;
    }

    private static String exclusion(TicketView ticket, RoutingPolicy.AgentCondition wanted, AgentView agent, Set<String> declined) {
        if (!"available".equals(agent.presence())) {
            return "not available";
        }
        if (declined.contains(agent.agentId())) {
            return "declined or let an offer lapse";
        }
        if (agent.skills().getOrDefault(wanted.skill(), 0) < Math.max(1, wanted.minSkillLevel())) {
            return "lacks the skill";
        }
        if (agent.seniority() < wanted.minSeniority()) {
            return "not senior enough";
        }
        if (wanted.sameRegion() && (ticket.region() == null || !agent.regions().contains(ticket.region()))) {
            return "another region";
        }
        if (agent.holdsOffer()) {
            return "holds an offer";
        }
        if (agent.totalLoad() >= agent.capacity().getOrDefault("total", 0)
                || agent.loadByType().getOrDefault(ticket.ticketType(), 0) >= agent.capacityFor(ticket.ticketType())) {
            return "at capacity";
        }
        return null;
    }

    private static double add(Map<String, Object> factors, String name, double value) {
        if (factors != null) {
            factors.put(name, Math.round(value * 100) / 100.0);
        }
        return value;
    }

    /** Tickets are routed lowest key first: the end of their resolution clock, brought forward by priority. */
    public static long orderKey(Instant resolutionDue, String priority) {
        long bonus = switch (priority == null ? "" : priority) {
            case "urgent" -> Duration.ofHours(4).toSeconds();
            case "high" -> Duration.ofHours(2).toSeconds();
            case "low" -> -Duration.ofHours(2).toSeconds();
            default -> 0;
        };
        return resolutionDue.getEpochSecond() - bonus;
    }
}
