package io.unichannel.ticket.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What a routing policy would have done with the tickets the operator actually had: a
 * discrete-event replay of recorded tickets (their arrival, type, region, customer tier, promised
 * time and how long they took to handle once someone had them) over the agents' roster, with the
 * same ranking as the live router and the policy's bullseye timeouts. Offers are taken at once
 * (the replay measures the policy, not the agents' reflexes). Answers the SLA attainment, the
 * waits and the load spread, so two policies can be put side by side before one is put in force.
 */
public final class PolicyReplay {

    private PolicyReplay() {
    }

    /** One recorded ticket. */
    public record Arrival(String ticketId, String ticketType, String region, String tier, String priority, Instant at,
            Instant due, Duration handling) {
    }

    /** One agent of the roster: regions, skills, seniority and how many tickets they take at once. */
    public record RosterAgent(String agentId, Set<String> regions, Map<String, Integer> skills, int seniority, int capacity) {
    }

    public record Outcome(String policyVersion, int tickets, int routed, int metPromise, double attainment, double waitP50Minutes,
            double waitP90Minutes, int minPerAgent, int medianPerAgent, int maxPerAgent, double spreadCv) {
    }

    private static final class Waiting {
        final Arrival ticket;
        final RoutingPolicy.Queue queue;
        int target;
        Instant targetSince;

        Waiting(Arrival ticket, RoutingPolicy.Queue queue, int target) {
            this.ticket = ticket;
            this.queue = queue;
            this.target = target;
            this.targetSince = ticket.at();
        }
    }

    public static Outcome replay(RoutingPolicy policy, List<Arrival> arrivals, List<RosterAgent> roster) {
        List<Arrival> ordered = new ArrayList<>(arrivals);
        ordered.sort(Comparator.comparing(Arrival::at).thenComparing(Arrival::ticketId));
        Map<String, Integer> load = new HashMap<>();
        Map<String, Integer> served = new LinkedHashMap<>();
        roster.forEach(a -> served.put(a.agentId(), 0));
        PriorityQueue<Object[]> finishing = new PriorityQueue<>(Comparator.comparing(e -> (Instant) e[0]));
        List<Waiting> waiting = new ArrayList<>();
        List<Double> waits = new ArrayList<>();
        int met = 0;
        int routed = 0;
        int next = 0;
        Instant now = ordered.isEmpty() ? Instant.EPOCH : ordered.get(0).at();
        while (next < ordered.size() || !waiting.isEmpty() && (!finishing.isEmpty() || nextWidening(waiting) != null)) {
            // The next moment something can change: an arrival, an agent finishing, a target timing out.
            Instant candidate = null;
            if (next < ordered.size()) {
                candidate = ordered.get(next).at();
            }
            if (!finishing.isEmpty() && (candidate == null || ((Instant) finishing.peek()[0]).isBefore(candidate))) {
                candidate = (Instant) finishing.peek()[0];
            }
            Instant widening = nextWidening(waiting);
            if (widening != null && (candidate == null || widening.isBefore(candidate))) {
                candidate = widening;
            }
            now = candidate.isAfter(now) ? candidate : now;
            while (!finishing.isEmpty() && !((Instant) finishing.peek()[0]).isAfter(now)) {
                load.merge((String) finishing.poll()[1], -1, Integer::sum);
            }
            while (next < ordered.size() && !ordered.get(next).at().isAfter(now)) {
                Arrival a = ordered.get(next++);
                policy.queueFor(a.ticketType()).ifPresent(q -> {
                    int target = RoutingPolicy.nextTarget(q, 0, a.tier());
                    if (target >= 0) {
                        waiting.add(new Waiting(a, q, target));
                    }
                });
            }
            waiting.sort(Comparator.comparingLong(w -> Router.orderKey(w.ticket.due(), w.ticket.priority())));
            List<Waiting> placed = new ArrayList<>();
            for (Waiting w : waiting) {
                widen(w, now);
                List<Router.AgentView> views = new ArrayList<>();
                for (RosterAgent r : roster) {
                    int l = load.getOrDefault(r.agentId(), 0);
                    views.add(new Router.AgentView(r.agentId(), r.regions(), r.skills(), r.seniority(),
                            Map.of("total", r.capacity()), "available", Map.of(w.ticket.ticketType(), l), l, false, null));
                }
                Router.Ranking ranking = Router.rank(new Router.TicketView(w.ticket.ticketId(), w.ticket.ticketType(),
                        w.ticket.region(), w.ticket.tier(), null), w.queue.targets().get(w.target), views, Set.of(), false, now);
                if (ranking.candidates().isEmpty()) {
                    continue;
                }
                String agent = ranking.candidates().get(0).agentId();
                load.merge(agent, 1, Integer::sum);
                served.merge(agent, 1, Integer::sum);
                Instant done = now.plus(w.ticket.handling());
                finishing.add(new Object[] {done, agent});
                waits.add(Duration.between(w.ticket.at(), now).toSeconds() / 60.0);
                routed++;
                if (w.ticket.due() == null || !done.isAfter(w.ticket.due())) {
                    met++;
                }
                placed.add(w);
            }
            waiting.removeAll(placed);
            if (next >= ordered.size() && finishing.isEmpty() && nextWidening(waiting) == null) {
                break;
            }
        }
        waits.sort(Double::compare);
        List<Integer> perAgent = new ArrayList<>(served.values());
        perAgent.sort(Integer::compare);
        double mean = perAgent.stream().mapToInt(Integer::intValue).average().orElse(0);
        double variance = perAgent.stream().mapToDouble(c -> (c - mean) * (c - mean)).average().orElse(0);
        return new Outcome(policy.version(), ordered.size(), routed, met, ordered.isEmpty() ? 0 : 100.0 * met / ordered.size(),
                percentile(waits, 0.5), percentile(waits, 0.9), perAgent.isEmpty() ? 0 : perAgent.get(0),
                perAgent.isEmpty() ? 0 : perAgent.get(perAgent.size() / 2), perAgent.isEmpty() ? 0 : perAgent.get(perAgent.size() - 1),
                mean == 0 ? 0 : Math.sqrt(variance) / mean);
    }

    /** Moves a waiting ticket on to the widest target its timeouts have reached by {@code now}. */
    private static void widen(Waiting w, Instant now) {
        while (true) {
            RoutingPolicy.Target target = w.queue.targets().get(w.target);
            Instant ends = w.targetSince.plusSeconds(target.timeoutSeconds());
            int wider = RoutingPolicy.nextTarget(w.queue, w.target + 1, w.ticket.tier());
            if (target.timeoutSeconds() <= 0 || wider < 0 || ends.isAfter(now)) {
                return;
            }
            w.target = wider;
            w.targetSince = ends;
        }
    }

    private static Instant nextWidening(List<Waiting> waiting) {
        Instant earliest = null;
        for (Waiting w : waiting) {
            RoutingPolicy.Target target = w.queue.targets().get(w.target);
            if (target.timeoutSeconds() > 0 && RoutingPolicy.nextTarget(w.queue, w.target + 1, w.ticket.tier()) >= 0) {
                Instant ends = w.targetSince.plusSeconds(target.timeoutSeconds());
                if (earliest == null || ends.isBefore(earliest)) {
                    earliest = ends;
                }
            }
        }
        return earliest;
    }

    private static double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * (sorted.size() - 1) + 0.5)));
    }
}
