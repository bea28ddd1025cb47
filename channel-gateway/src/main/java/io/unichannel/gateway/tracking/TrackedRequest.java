package io.unichannel.gateway.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a gateway replica knows of one request: its owner and its progress so far, ordered by
 * sequence, plus the streams following it live. Appending and subscribing share one lock, so a
 * subscriber gets every step exactly once: the history, then each new step.
 */
public final class TrackedRequest {

    private final UUID requestId;
    private volatile String customerId;
    private final List<Progress> steps = new ArrayList<>();
    private final List<Consumer<Progress>> listeners = new ArrayList<>();

    TrackedRequest(UUID requestId, String customerId) {
        this.requestId = requestId;
        this.customerId = customerId;
    }

    public UUID requestId() {
        return requestId;
    }

    public String customerId() {
        return customerId;
    }

    void owner(String customer) {
        if (customerId == null) {
            customerId = customer;
        }
    }

    /** The customer's record was merged into another: the survivor owns the request now. */
    void reassign(String survivor) {
        customerId = survivor;
    }

    /** Adds a step unless one with its sequence is known already (replayed events are ignored). */
    synchronized boolean add(Progress step) {
        for (int i = 0; i < steps.size(); i++) {
            int existing = steps.get(i).sequence();
            if (existing == step.sequence()) {
                return false;
            }
            if (existing > step.sequence()) {
                steps.add(i, step);
                listeners.forEach(l -> l.accept(step));
                return true;
            }
        }
        steps.add(step);
        listeners.forEach(l -> l.accept(step));
        return true;
    }

    /** The progress so far, oldest first. */
    public synchronized List<Progress> steps() {
        return List.copyOf(steps);
    }

    /** The ticket opened for the request, once ticket-service reported it. */
    public synchronized String ticketId() {
        return steps.stream().map(Progress::ticketId).filter(t -> t != null).findFirst().orElse(null);
    }

    public synchronized Progress latest() {
        return steps.isEmpty() ? null : steps.get(steps.size() - 1);
    }

    /** Registers a live listener and returns the history it has not seen, atomically. */
    synchronized List<Progress> follow(Consumer<Progress> listener) {
        listeners.add(listener);
        return List.copyOf(steps);
    }

    synchronized void unfollow(Consumer<Progress> listener) {
        listeners.remove(listener);
    }
}
