package io.unichannel.gateway.rest;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.gateway.tracking.Progress;
import io.unichannel.gateway.tracking.RequestTracker;
import io.unichannel.gateway.tracking.TrackedRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** Turns request progress into Server-Sent Events, with keep-alive comments for idle connections. */
@ApplicationScoped
public class ProgressStreams {

    private static final Set<String> FINAL = Set.of("closed", "cancelled", "rejected");
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** How far back a resumed customer stream looks, to cover steps other partitions delivered late. */
    private static final Duration RESUME_OVERLAP = Duration.ofSeconds(5);

    private static final ScheduledExecutorService KEEP_ALIVE_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sse-keep-alive");
        thread.setDaemon(true);
        return thread;
    });

    /** How far back a new customer stream (without Last-Event-ID) replays. */
    private static final Duration NEW_STREAM_HISTORY = Duration.ofDays(30);

    private final RequestTracker tracker;
    private final AtomicInteger open = new AtomicInteger();

    public ProgressStreams(RequestTracker tracker, MeterRegistry registry) {
        this.tracker = tracker;
        registry.gauge("gateway.progress.streams", open);
    }

    /** One request's steps after {@code afterSequence}; SSE ids are the step sequence. Ends after a final status. */
    public Multi<OutboundSseEvent> requestStream(TrackedRequest request, int afterSequence, Sse sse) {
        boolean alreadyFinal = request.steps().stream().anyMatch(s -> s.sequence() <= afterSequence
                && FINAL.contains(s.status()));
        if (alreadyFinal) {
            return Multi.createFrom().empty();
        }
        Multi<OutboundSseEvent> steps = tracker.follow(request, afterSequence, step -> FINAL.contains(step.status()))
                .map(step -> event(sse, String.valueOf(step.sequence()), step));
        return withKeepAlive(steps, sse);
    }

    /**
     * All of a customer's requests; SSE ids are {@code <requestId>:<sequence>}. A resumed stream
     * repeats the few seconds before the last id seen; clients drop steps they already have.
     */
    public Multi<OutboundSseEvent> customerStream(String customerId, String lastEventId, Sse sse) {
        // A new stream replays the recent past; older steps are one GET /requests/{id} away.
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minus(NEW_STREAM_HISTORY);
        Predicate<Progress> fromHistory = step -> step.time().isAfter(since);
        if (lastEventId != null && !lastEventId.isBlank()) {
            Progress last = lastSeen(customerId, lastEventId);
            fromHistory = step -> step.time().isAfter(last.time().minus(RESUME_OVERLAP))
                    && !(step.requestId().equals(last.requestId()) && step.sequence() <= last.sequence());
        }
        Multi<OutboundSseEvent> steps = tracker.followCustomer(customerId, fromHistory)
                .map(step -> event(sse, step.requestId() + ":" + step.sequence(), step));
        return withKeepAlive(steps, sse);
    }

    private Progress lastSeen(String customerId, String lastEventId) {
        String[] parts = lastEventId.trim().split(":");
        try {
            UUID requestId = UUID.fromString(parts[0]);
            int sequence = Integer.parseInt(parts[1]);
            return tracker.find(requestId, customerId).flatMap(r -> r.steps().stream()
                    .filter(s -> s.sequence() == sequence).findFirst()).orElseThrow();
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid Last-Event-ID", 400,
                    "Last-Event-ID must be an event id this stream sent.");
        }
    }

    /** Adds a comment every few seconds so idle connections survive proxies; ends with the steps. */
    private Multi<OutboundSseEvent> withKeepAlive(Multi<OutboundSseEvent> steps, Sse sse) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Multi<OutboundSseEvent> pings = Multi.createFrom().emitter(emitter -> {
            ScheduledFuture<?> timer = KEEP_ALIVE_TIMER.scheduleAtFixedRate(
                    () -> emitter.emit(sse.newEventBuilder().comment("keep-alive").build()),
                    KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> timer.cancel(false));
            ended.thenRun(emitter::complete);
        });
        return Multi.createBy().merging().streams(steps.onTermination().invoke(() -> ended.complete(null)), pings)
                .onSubscription().invoke(open::incrementAndGet)
                .onTermination().invoke(() -> {
                    open.decrementAndGet();
                    ended.complete(null);
                });
    }

    private static OutboundSseEvent event(Sse sse, String id, Progress step) {
        return sse.newEventBuilder().id(id).name(step.eventType()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Progress.class, step).build();
    }
}
