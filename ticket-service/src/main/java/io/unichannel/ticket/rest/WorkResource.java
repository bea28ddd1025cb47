package io.unichannel.ticket.rest;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.common.security.AccessAudited;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.mapping.TroubleTicketDto;
import io.unichannel.ticket.routing.RoutingDecision;
import io.unichannel.ticket.routing.RoutingService;
import io.unichannel.ticket.service.TicketService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agents' work: the offer they hold and their open tickets, accept, decline, release, their
 * presence; for supervisors the queues and the agents' load and their routing profiles; for
 * anyone who may see a ticket, why it went where it went.
 */
@Path("/api/v1/work")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Work")
public class WorkResource {

    private static final String TICKET_ID = "[A-Za-z0-9-]{1,32}";
    private static final String REGION = "[a-z0-9-]{1,32}";

    /** An offer: the ticket and until when it is the agent's to accept. */
    public record OfferView(String ticketId, java.time.OffsetDateTime expiresAt, TroubleTicketDto ticket) {
    }

    public record QueueView(String agent, String presence, OfferView offer, List<TroubleTicketDto> assigned) {
    }

    public record Presence(@NotNull @Pattern(regexp = "available|busy|away|offline") String presence) {
    }

    /** An agent's routing profile: regions, skills (levels 1-3), seniority (1 junior - 3 senior), capacity. */
    public record Profile(@NotNull @NotEmpty @Size(max = 10) List<@NotNull @Pattern(regexp = REGION) String> regions,
            @NotNull @Size(max = 20) Map<@Pattern(regexp = "[A-Za-z]{1,32}") String, @NotNull @Min(1) @Max(3) Integer> skills,
            @NotNull @Min(1) @Max(3) Integer seniority,
            @NotNull @Size(min = 1, max = 10) Map<@Pattern(regexp = "[A-Za-z]{1,32}") String, @NotNull @Min(0) @Max(50) Integer> capacity) {
    }

    public record DecisionView(String id, java.time.OffsetDateTime decidedAt, String outcome, String agent, String queue,
            String target, String policyVersion, Object considered) {
    }

    private final RoutingService routing;
    private final TicketService tickets;
    private final SecurityIdentity identity;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public WorkResource(RoutingService routing, TicketService tickets, SecurityIdentity identity,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.routing = routing;
        this.tickets = tickets;
        this.identity = identity;
        this.json = json;
    }

    private String me() {
        return StaffScope.of(identity).staffId() != null ? StaffScope.of(identity).staffId() : identity.getPrincipal().getName();
    }

    /** An SLA stage's notice as the desk shows it. */
    public record NoticeView(String id, String ticketId, String kind, String metric, java.time.OffsetDateTime dueAt, String text,
            String recipient, java.time.OffsetDateTime createdAt, java.time.OffsetDateTime readAt) {
        static NoticeView of(io.unichannel.ticket.sla.StaffNotice n) {
            return new NoticeView(n.id, n.ticketId, n.kind, n.metric, n.dueAt, n.text, n.recipient, n.createdAt, n.readAt);
        }
    }

    @GET
    @Path("notices")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @io.quarkus.hibernate.reactive.panache.common.WithSession
    @Operation(summary = "What the SLA stages told me: warnings, breaches and escalations of my tickets (a supervisor: of "
            + "the region's tickets too), newest first; unread only unless all=true")
    public Uni<List<NoticeView>> notices(@jakarta.ws.rs.QueryParam("all") boolean all) {
        return io.unichannel.ticket.sla.StaffNotice.visibleTo(StaffScope.of(identity), me(), identity.hasRole(Roles.SUPERVISOR),
                all, 50).map(list -> list.stream().map(NoticeView::of).toList());
    }

    @POST
    @Path("notices/{noticeId}/read")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @io.quarkus.hibernate.reactive.panache.common.WithTransaction
    @Operation(summary = "Mark a notice read; it leaves the unread list")
    public Uni<NoticeView> read(@PathParam("noticeId") @Pattern(regexp = "[0-9a-f-]{36}") String noticeId) {
        StaffScope scope = StaffScope.of(identity);
        boolean supervisor = identity.hasRole(Roles.SUPERVISOR);
        return io.unichannel.ticket.sla.StaffNotice.<io.unichannel.ticket.sla.StaffNotice>findById(noticeId).map(n -> {
            if (n == null || !n.visibleTo(scope, me(), supervisor)) {
                throw new ProblemException(ProblemTypes.NOT_FOUND, "No such notice", 404, "You have no notice " + noticeId + ".");
            }
            if (n.readAt == null) {
                n.readAt = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
            }
            return NoticeView.of(n);
        });
    }

    @GET
    @Path("queue")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "My queue: the offer I hold (accept before it lapses) and my open tickets, most urgent first")
    public Uni<QueueView> queue() {
        String me = me();
        return routing.queueOf(me).map(q -> new QueueView(me, q.agent() == null ? null : q.agent().presence,
                q.offer() == null ? null : new OfferView(q.offer().ticketId(), q.offer().expiresAt(),
                        q.offer().ticket() == null ? null : TroubleTicketDto.of(q.offer().ticket())),
                q.assigned().stream().map(TroubleTicketDto::of).toList()));
    }

    @PUT
    @Path("presence")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set my presence: available (offers come), busy, away or offline (a held offer goes back)")
    public Uni<Map<String, String>> presence(@Valid @NotNull Presence body) {
        return routing.presence(me(), body.presence()).map(a -> Map.of("agent", a.agentId, "presence", a.presence));
    }

    @POST
    @Path("offers/{ticketId}/accept")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "Accept the ticket I was offered: it is assigned to me")
    public Uni<TroubleTicketDto> accept(@PathParam("ticketId") @Pattern(regexp = TICKET_ID) String ticketId) {
        return routing.accept(me(), ticketId).map(TroubleTicketDto::of);
    }

    @POST
    @Path("offers/{ticketId}/decline")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "Decline the ticket I was offered: it goes to the next candidate")
    public Uni<Map<String, String>> decline(@PathParam("ticketId") @Pattern(regexp = TICKET_ID) String ticketId) {
        return routing.decline(me(), ticketId).replaceWith(Map.of("ticketId", ticketId, "outcome", "declined"));
    }

    @POST
    @Path("tickets/{ticketId}/release")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "Give back one of my tickets: it is routed again, not to me")
    public Uni<TroubleTicketDto> release(@PathParam("ticketId") @Pattern(regexp = TICKET_ID) String ticketId) {
        return routing.release(me(), ticketId).map(TroubleTicketDto::of);
    }

    /** Whom to hand a ticket to: a colleague, or a queue (a group). */
    public record Transfer(@Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String agent, @Pattern(regexp = "[A-Za-z0-9_-]{1,32}") String queue) {
    }

    @POST
    @Path("tickets/{ticketId}/transfer")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hand one of my tickets to a colleague: they are offered it at once")
    public Uni<TroubleTicketDto> transfer(@PathParam("ticketId") @Pattern(regexp = TICKET_ID) String ticketId,
            @Valid @NotNull Transfer body) {
        if ((body.agent() == null) == (body.queue() == null)) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Whom to?", 400, "Name either an agent or a queue.");
        }
        return (body.agent() != null ? routing.transfer(me(), ticketId, body.agent())
                : routing.transferToQueue(me(), ticketId, body.queue())).map(TroubleTicketDto::of);
    }

    @POST
    @Path("next")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "Pull work: the most urgent waiting ticket I may take becomes mine at once (204 when there is none)")
    public Uni<jakarta.ws.rs.core.Response> next() {
        return routing.next(me()).map(t -> t.map(ticket -> jakarta.ws.rs.core.Response.ok(TroubleTicketDto.of(ticket)).build())
                .orElseGet(() -> jakarta.ws.rs.core.Response.noContent().build()));
    }

    @GET
    @Path("tickets/{ticketId}/routing")
    @AccessAudited(resource = "trouble-ticket-routing", idParam = "ticketId")
    @Operation(summary = "Every routing decision about a ticket: candidates, scores, factors, policy version")
    public Uni<List<DecisionView>> decisions(@PathParam("ticketId") @Pattern(regexp = TICKET_ID) String ticketId) {
        // Seeing a ticket's routing needs seeing the ticket: out of scope is a 404 like the ticket itself.
        return tickets.get(ticketId, StaffScope.of(identity)).chain(t -> routing.decisions(ticketId))
                .map(list -> list.stream().map(this::view).toList());
    }

    private DecisionView view(RoutingDecision d) {
        Object considered;
        try {
            considered = json.readTree(d.candidates);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            considered = Map.of();
        }
        return new DecisionView(d.id.toString(), d.decidedAt, d.outcome, d.agentId, d.queue, d.target, d.policyVersion, considered);
    }

    @GET
    @Path("overview")
    @RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "Queue depths, the oldest waiting, offers out and the agents' presence and load (the supervisor's region)")
    public Uni<RoutingService.Overview> overview() {
        return routing.overview(StaffScope.of(identity));
    }

    @PUT
    @Path("agents/{agentId}")
    @RolesAllowed({Roles.SUPERVISOR, Roles.OPS})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set an agent's routing profile (a supervisor: agents of their own region only)")
    public Uni<RoutingService.AgentLoad> profile(@PathParam("agentId") @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String agentId,
            @Valid @NotNull Profile body) {
        StaffScope scope = StaffScope.of(identity);
        if (!scope.everything() && (scope.region() == null || !body.regions().stream().allMatch(scope.region()::equals))) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Outside your region", 403,
                    "A supervisor sets the profiles of agents of their own region only.");
        }
        if (!body.capacity().containsKey("total") || body.capacity().get("total") < 1) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid capacity", 400,
                    "capacity needs \"total\": how many open tickets the agent takes at once (1-50).");
        }
        return routing.profile(agentId, Set.copyOf(body.regions()), body.skills(), body.seniority(), body.capacity())
                .map(a -> new RoutingService.AgentLoad(a.agentId, Set.copyOf(body.regions()), a.presence, a.presenceSince, 0,
                        a.offerTicket, body.skills(), a.seniority, body.capacity()));
    }
}
