package io.unichannel.gateway.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.Topics;
import io.unichannel.common.events.EventTypes;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.intake.CounterAgents;
import io.unichannel.gateway.intake.Intake;
import io.unichannel.gateway.limits.AbuseLimits;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.repository.ProgressRepository.RequestRow;
import io.unichannel.gateway.tracking.Progress;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Submit once, follow everywhere: a customer submits a request on any channel and follows its
 * progress from any other, live.
 */
@Path("/api/v1")
@RolesAllowed(Roles.CUSTOMER)
@Tag(name = "Requests")
public class RequestResource {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** How long opening a stream may wait for the view to settle who owns what. */
    private static final java.time.Duration LOOKUP = java.time.Duration.ofSeconds(10);
    private static final String KEY_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    private final Intake intake;
    private final CounterAgents counter;
    private final ProgressRepository repository;
    private final Caller caller;
    private final ProgressStreams streams;
    private final AbuseLimits limits;

    public RequestResource(Intake intake, ProgressRepository repository, Caller caller, ProgressStreams streams,
            AbuseLimits limits, CounterAgents counter) {
        this.intake = intake;
        this.counter = counter;
        this.limits = limits;
        this.repository = repository;
        this.caller = caller;
        this.streams = streams;
    }

    /** The answer to a submission: the tracking id and where to follow it. */
    public record Accepted(UUID requestId, String status, OffsetDateTime submittedAt, Map<String, String> links) {
    }

    /** A request's current state and its progress so far. */
    public record RequestState(UUID requestId, String ticketId, String status, String channel,
            OffsetDateTime lastUpdate, List<Progress> progress) {
    }

    @POST
    @Path("requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a request; answers 202 with its tracking id once it is safely queued. "
            + "Retrying with the same Idempotency-Key gives the same request id and never a second ticket.")
    public Uni<Response> submit(@Valid @NotNull SubmitRequest body, @HeaderParam(IDEMPOTENCY_KEY) String key,
            @HeaderParam(CounterAgents.HEADER) String counterAgent) {
        if (key != null && !key.matches(KEY_PATTERN)) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid Idempotency-Key", 400,
                    "Idempotency-Key must be 1-128 characters of letters, digits, '.', '_', ':' or '-'.");
        }
        Intake.Submitter who = new Intake.Submitter(caller.customerId(), caller.subject(), caller.channel(), caller.region(),
                caller.valueTier());
        return counter.attribute(who.channel(), body, counterAgent).chain(attributed -> intake.submit(who, attributed, key))
                .map(submitted -> {
                    String self = "/api/v1/requests/" + submitted.requestId();
                    return Response.accepted(new Accepted(submitted.requestId(), "submitted", submitted.submittedAt(),
                            Map.of("self", self, "events", self + "/events"))).location(URI.create(self)).build();
                });
    }

    /** One line of the caller's request list. */
    public record RequestSummary(UUID requestId, String ticketId, String status, String channel, OffsetDateTime lastUpdate) {
    }

    @GET
    @Path("requests")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's requests from every channel, most recently updated first, a page at a time",
            description = "Includes the requests of customer records merged into the caller's.")
    public Uni<List<RequestSummary>> list(@QueryParam("offset") @DefaultValue("0") @Min(0) @Max(100_000) int offset,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return repository.requestsOf(caller.customerId(), offset, limit).map(rows -> rows.stream()
                .map(r -> new RequestSummary(r.requestId(), r.ticketId(), r.status(), r.channel(), r.lastUpdate()))
                .toList());
    }

    @GET
    @Path("requests/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A request's current state and progress, for its customer on any channel")
    public Uni<RequestState> get(@PathParam("id") String id) {
        return own(id).chain(request -> repository.steps(request.requestId(), -1).map(steps -> new RequestState(
                request.requestId(), request.ticketId(), request.status(), request.channel(), request.lastUpdate(),
                steps)));
    }

    @GET
    @Blocking
    @Path("requests/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events: the request's progress so far, then live; "
            + "reconnect with Last-Event-ID to resume without gaps. Ends after a final status.")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        int after = -1;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Integer.parseInt(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw invalidLastEventId();
            }
        }
        // Ownership is settled before the stream starts, so a stranger gets a 404 problem, not a 200.
        RequestRow request = own(id).await().atMost(LOOKUP);
        return limited(caller.customerId(), streams.requestStream(request, after, sse));
    }

    @GET
    @Blocking
    @Path("customers/me/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events: progress of all the caller's requests, from any channel, then live")
    public Multi<OutboundSseEvent> customerEvents(@HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        String customerId = caller.customerId();
        Uni<Progress> lastSeen = lastEventId == null || lastEventId.isBlank() ? Uni.createFrom().nullItem()
                : lastSeen(customerId, lastEventId);
        Multi<OutboundSseEvent> stream = lastSeen.chain(last -> repository.canonical(customerId).chain(canonical -> repository.idsOf(canonical)
                        .map(ids -> streams.customerStream(canonical, ids, last, sse))))
                .await().atMost(LOOKUP);
        return limited(customerId, stream);
    }

    /** A stream that holds one of the customer's stream slots (429 when none is free) until it ends. */
    private Multi<OutboundSseEvent> limited(String customerId, Multi<OutboundSseEvent> stream) {
        UUID slot = limits.openStream(customerId).await().atMost(LOOKUP);
        return stream.onTermination().invoke(() -> limits.closeStream(slot));
    }

    private Uni<Progress> lastSeen(String customerId, String lastEventId) {
        String[] parts = lastEventId.trim().split(":");
        UUID requestId;
        int sequence;
        try {
            requestId = UUID.fromString(parts[0]);
            sequence = Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw invalidLastEventId();
        }
        return repository.step(requestId, sequence, customerId)
                .map(step -> step.orElseThrow(RequestResource::invalidLastEventId));
    }

    private static ProblemException invalidLastEventId() {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid Last-Event-ID", 400,
                "Last-Event-ID must be an event id this stream sent.");
    }

    private Uni<RequestRow> own(String id) {
        UUID requestId;
        try {
            requestId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(notFound(id));
        }
        return repository.find(requestId, caller.customerId()).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Request not found", 404,
                "You have no request " + (id.length() > 64 ? id.substring(0, 64) + "..." : id) + ".");
    }

}
