package io.unichannel.ticket.routing;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Routing as data (routing-policies.json, versioned): for each queue the ticket types it takes and
 * its ordered targets, from the narrowest to the widest. A target applies to a ticket when its
 * {@code when} matches (value tiers); it offers the ticket to agents that match its {@code agents}
 * condition, and after {@code timeoutSeconds} without an acceptance the next target applies
 * (bullseye). An offer not accepted within {@code offerTimeoutSeconds} goes to the next candidate;
 * a ticket nobody took within {@code unownedLimitSeconds} escalates.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoutingPolicy(String version, String description, int offerTimeoutSeconds, int unownedLimitSeconds,
        boolean preferLastAgent, List<Queue> queues) {

    /**
     * A queue takes tickets of its types; one that lists {@code diagnoses} takes only tickets the
     * automatic fault diagnosis put in one of them (a line fault straight to the field engineers).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Queue(String name, List<String> ticketTypes, List<String> diagnoses, List<Target> targets) {

        public Queue(String name, List<String> ticketTypes, List<Target> targets) {
            this(name, ticketTypes, null, targets);
        }

        boolean takes(String ticketType, String diagnosis) {
            return ticketTypes.contains(ticketType)
                    && (diagnoses == null || diagnoses.isEmpty() || diagnosis != null && diagnoses.contains(diagnosis));
        }
    }

    /** Which tickets a target is for; empty means every ticket of the queue. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TicketCondition(List<String> valueTiers) {
        boolean matches(String tier) {
            return valueTiers == null || valueTiers.isEmpty() || tier != null && valueTiers.contains(tier);
        }
    }

    /** Which agents a target offers to. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AgentCondition(String skill, int minSkillLevel, int minSeniority, boolean sameRegion) {
    }

    /** {@code timeoutSeconds} 0: the widest target, held until someone accepts. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String name, TicketCondition when, AgentCondition agents, int timeoutSeconds) {
        public boolean appliesTo(String tier) {
            return when == null || when.matches(tier);
        }
    }

    public Optional<Queue> queueFor(String ticketType) {
        return queueFor(ticketType, null);
    }

    /** The first queue that takes a ticket of this type and diagnosis. */
    public Optional<Queue> queueFor(String ticketType, String diagnosis) {
        return queues.stream().filter(q -> q.takes(ticketType, diagnosis)).findFirst();
    }

    public Optional<Queue> queue(String name) {
        return queues.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** The first target at or after {@code from} that applies to the ticket, or -1. */
    public static int nextTarget(Queue queue, int from, String tier) {
        for (int i = Math.max(0, from); i < queue.targets().size(); i++) {
            if (queue.targets().get(i).appliesTo(tier)) {
                return i;
            }
        }
        return -1;
    }

    /** Checks what a file must hold; a policy that fails this is never put in force. */
    public RoutingPolicy validated() {
        if (version == null || version.isBlank() || queues == null || queues.isEmpty() || offerTimeoutSeconds < 1
                || unownedLimitSeconds < 1) {
            throw new IllegalArgumentException("a routing policy needs a version, queues, offerTimeoutSeconds and "
                    + "unownedLimitSeconds");
        }
        for (Queue q : queues) {
            if (q.targets() == null || q.targets().isEmpty() || q.ticketTypes() == null || q.ticketTypes().isEmpty()) {
                throw new IllegalArgumentException("queue " + q.name() + " needs ticket types and targets");
            }
            Target widest = q.targets().get(q.targets().size() - 1);
            if (widest.when() != null && widest.when().valueTiers() != null && !widest.when().valueTiers().isEmpty()) {
                throw new IllegalArgumentException("queue " + q.name() + ": the widest target must take every ticket");
            }
            for (Target t : q.targets()) {
                if (t.agents() == null || t.agents().skill() == null) {
                    throw new IllegalArgumentException("queue " + q.name() + ", target " + t.name() + " needs an agent skill");
                }
            }
        }
        return this;
    }
}
