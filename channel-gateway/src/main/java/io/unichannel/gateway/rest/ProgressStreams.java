package io.unichannel.gateway.rest;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.unichannel.gateway.messaging.LiveProgress;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.repository.ProgressRepository.RequestRow;
import io.unichannel.gateway.tracking.Progress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * Turns request progress into Server-Sent Events: the history from the progress view, then the
 * live steps this replica reads from Kafka, each step once, with keep-alive comments for idle
 * connections. Any replica serves any stream.
 */
@ApplicationScoped
public class ProgressStreams {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** How far back a resumed customer stream looks, to cover steps other partitions delivered late. */
    private static final Duration RESUME_OVERLAP = Duration.ofSeconds(5);
    /** How far back a new customer stream (without Last-Event-ID) replays. */
    private static final Duration NEW_STREAM_HISTORY = Duration.ofDays(30);
    /** The most history one customer stream replays; older steps are one GET away. */
    private static final int HISTORY_LIMIT = 2_000;
    /**
     * Steps a stream may hold for a client that reads slower than they come. A client further
     * behind is cut off and reconnects with Last-Event-ID, losing nothing.
     */
    static final int STREAM_BUFFER = 1_000;

    private static final ScheduledExecutorService KEEP_ALIVE_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sse-keep-alive");
        thread.setDaemon(true);
        return thread;
    });

    private final LiveProgress live;
    private final ProgressRepository repository;
    private final AtomicInteger open = new AtomicInteger();

    public ProgressStreams(LiveProgress live, ProgressRepository repository, MeterRegistry registry) {
        this.live = live;
        this.repository = repository;
        registry.gauge("gateway.progress.streams", open);
    }

    /**
     * One stream's state: steps that arrive live before the history is sent wait; afterwards each
     * step is sent once (history and live overlap), and the stream ends after a final step when
     * it follows one request.
     */
    private static final class Stream {
        private final MultiEmitter<? super Progress> emitter;
        private final Predicate<Progress> wanted;
        private final boolean endOnFinal;
        private final Set<String> sent = new HashSet<>();
        private List<Progress> waiting = new ArrayList<>();

        Stream(MultiEmitter<? super Progress> emitter, Predicate<Progress> wanted, boolean endOnFinal) {
            this.emitter = emitter;
            this.wanted = wanted;
            this.endOnFinal = endOnFinal;
        }

        synchronized void live(Progress step) {
            if (waiting != null) {
                waiting.add(step);
            } else {
                send(step);
            }
        }

        synchronized void history(List<Progress> history) {
            history.forEach(this::send);
            List<Progress> arrived = waiting;
            waiting = null;
            arrived.stream().sorted(Comparator.comparing(Progress::time).thenComparing(Progress::sequence))
                    .forEach(this::send);
        }

        private void send(Progress step) {
            if (emitter.isCancelled() || !wanted.test(step) || !sent.add(step.customerStreamId())) {
                return;
            }
            emitter.emit(step);
            if (endOnFinal && step.isFinal()) {
                emitter.complete();
            }
        }
    }

    /** One request's steps after {@code afterSequence}; SSE ids are the step sequence. Ends after a final status. */
    public Multi<OutboundSseEvent> requestStream(RequestRow request, int afterSequence, Sse sse) {
        Multi<Progress> steps = Multi.createFrom().emitter(emitter -> {
            Stream stream = new Stream(emitter, step -> step.sequence() > afterSequence, true);
            List<Progress> recent = new ArrayList<>();
            LiveProgress.Registration registration = live.followRequest(request.requestId(), stream::live, recent);
            emitter.onTermination(registration::close);
            repository.steps(request.requestId(), -1).subscribe().with(history -> {
                if (history.stream().anyMatch(s -> s.sequence() <= afterSequence && s.isFinal())) {
                    emitter.complete();
                    return;
                }
                List<Progress> all = new ArrayList<>(history);
                all.addAll(recent);
                all.sort(Comparator.comparing(Progress::sequence));
                stream.history(all);
            }, emitter::fail);
        }, STREAM_BUFFER);
        return withKeepAlive(steps.map(step -> event(sse, String.valueOf(step.sequence()), step)), sse);
    }

    /**
     * All of a customer's requests; SSE ids are {@code <requestId>:<sequence>}. A resumed stream
     * repeats the few seconds before the last id seen; clients drop steps they already have.
     */
    public Multi<OutboundSseEvent> customerStream(String canonicalId, List<String> ids, Progress lastSeen, Sse sse) {
        OffsetDateTime since = lastSeen == null ? OffsetDateTime.now(ZoneOffset.UTC).minus(NEW_STREAM_HISTORY)
                : lastSeen.time().minus(RESUME_OVERLAP);
        Predicate<Progress> wanted = lastSeen == null ? step -> true
                : step -> !(step.requestId().equals(lastSeen.requestId()) && step.sequence() <= lastSeen.sequence());
        Multi<Progress> steps = Multi.createFrom().emitter(emitter -> {
            Stream stream = new Stream(emitter, wanted, false);
            List<Progress> recent = new ArrayList<>();
            LiveProgress.Registration registration = live.followCustomer(ids, stream::live, recent);
            emitter.onTermination(registration::close);
            repository.stepsOfCustomer(canonicalId, since, HISTORY_LIMIT).subscribe().with(history -> {
                List<Progress> all = new ArrayList<>(history);
                recent.stream().filter(s -> s.time().isAfter(since)).forEach(all::add);
                all.sort(Comparator.comparing(Progress::time).thenComparing(Progress::sequence));
                stream.history(all);
            }, emitter::fail);
        }, STREAM_BUFFER);
        return withKeepAlive(steps.map(step -> event(sse, step.customerStreamId(), step)), sse);
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
