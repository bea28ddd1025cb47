package io.unichannel.gateway.tracking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every request's progress, as this gateway replica has read it from channel-requests and
 * ticket-events. Each replica reads both topics in full, so any replica can answer for any
 * request and serve any progress stream.
 *
 * <p>Locks: a customer's feed, then one of its requests; never the other way round.
 */
@ApplicationScoped
public class RequestTracker {

    /** A customer's requests and the streams following all of them. */
    private static final class CustomerFeed {
        final Set<UUID> requests = new LinkedHashSet<>();
        final List<Consumer<Progress>> listeners = new ArrayList<>();
    }

    /**
     * Steps a stream may hold for a client that reads slower than they come. A client further
     * behind is cut off and reconnects with Last-Event-ID, losing nothing.
     */
    static final int STREAM_BUFFER = 10_000;

    private final Map<UUID, TrackedRequest> requests = new ConcurrentHashMap<>();
    private final Map<String, CustomerFeed> customers = new ConcurrentHashMap<>();
    /** Customer ids retired by a merge, and the survivor each stands for now. */
    private final Map<String, String> mergedInto = new ConcurrentHashMap<>();

    public RequestTracker(MeterRegistry registry) {
        registry.gaugeMapSize("gateway.tracked.requests", List.of(), requests);
    }

    /** Records a step of a customer's request; returns false when it was known already. */
    public boolean record(String anyCustomerId, Progress step) {
        String customerId = canonical(anyCustomerId);
        CustomerFeed feed = customers.computeIfAbsent(customerId, c -> new CustomerFeed());
        synchronized (feed) {
            TrackedRequest request = requests.computeIfAbsent(step.requestId(), id -> new TrackedRequest(id, customerId));
            request.owner(customerId);
            feed.requests.add(step.requestId());
            if (!request.add(step)) {
                return false;
            }
            feed.listeners.forEach(l -> l.accept(step));
            return true;
        }
    }

    /** The request, if it exists and belongs to this customer; otherwise empty (callers answer 404). */
    public Optional<TrackedRequest> find(UUID requestId, String customerId) {
        TrackedRequest request = requests.get(requestId);
        return request != null && canonical(customerId).equals(request.customerId()) ? Optional.of(request) : Optional.empty();
    }

    /** The customer's requests (including those of records merged into theirs), most recently updated first. */
    public List<TrackedRequest> requestsOf(String customerId) {
        CustomerFeed feed = customers.get(canonical(customerId));
        if (feed == null) {
            return List.of();
        }
        List<TrackedRequest> list;
        synchronized (feed) {
            list = feed.requests.stream().map(requests::get).filter(java.util.Objects::nonNull).toList();
        }
        return list.stream().sorted(Comparator.comparing((TrackedRequest r) -> r.latest().time()).reversed()).toList();
    }

    /**
     * Customer {@code mergedId} was merged into {@code survivorId} (identity-events): the survivor
     * now owns every request of the merged record, and steps that still name the merged id land
     * with the survivor. Idempotent.
     */
    public void merge(String mergedId, String survivorId) {
        String survivor = canonical(survivorId);
        if (mergedId.equals(survivor)) {
            return;
        }
        mergedInto.put(mergedId, survivor);
        mergedInto.replaceAll((merged, into) -> into.equals(mergedId) ? survivor : into);
        CustomerFeed from = customers.remove(mergedId);
        if (from == null) {
            return;
        }
        CustomerFeed to = customers.computeIfAbsent(survivor, c -> new CustomerFeed());
        synchronized (from) {
            synchronized (to) {
                for (UUID id : from.requests) {
                    TrackedRequest request = requests.get(id);
                    if (request != null) {
                        request.reassign(survivor);
                    }
                    to.requests.add(id);
                }
                from.requests.clear();
            }
        }
    }

    /** The id a customer answers to today: the survivor for a merged record. */
    public String canonical(String customerId) {
        return customerId == null ? null : mergedInto.getOrDefault(customerId, customerId);
    }

    /**
     * The steps after {@code afterSequence}, then every new step, for as long as the subscriber
     * stays; completes right after a step that {@code last} accepts.
     */
    public Multi<Progress> follow(TrackedRequest request, int afterSequence, Predicate<Progress> last) {
        return Multi.createFrom().emitter(emitter -> {
            Consumer<Progress> listener = step -> {
                if (step.sequence() > afterSequence) {
                    emitter.emit(step);
                    if (last.test(step)) {
                        emitter.complete();
                    }
                }
            };
            List<Progress> history = request.follow(listener);
            emitter.onTermination(() -> request.unfollow(listener));
            history.forEach(listener);
        }, STREAM_BUFFER);
    }

    /** Every step of every request of a customer that passes {@code fromHistory}, then every new step. */
    public Multi<Progress> followCustomer(String customerId, Predicate<Progress> fromHistory) {
        return Multi.createFrom().emitter(emitter -> {
            CustomerFeed feed = customers.computeIfAbsent(canonical(customerId), c -> new CustomerFeed());
            Consumer<Progress> listener = emitter::emit;
            List<Progress> history = new ArrayList<>();
            synchronized (feed) {
                feed.listeners.add(listener);
                feed.requests.forEach(id -> history.addAll(requests.get(id).steps()));
            }
            emitter.onTermination(() -> {
                synchronized (feed) {
                    feed.listeners.remove(listener);
                }
            });
            history.stream().filter(fromHistory)
                    .sorted(Comparator.comparing(Progress::time).thenComparing(Progress::sequence))
                    .forEach(emitter::emit);
        }, STREAM_BUFFER);
    }

    /** How many requests this replica tracks. */
    public int size() {
        return requests.size();
    }
}
