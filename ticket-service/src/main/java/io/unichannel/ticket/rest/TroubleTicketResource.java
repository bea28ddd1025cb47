package io.unichannel.ticket.rest;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.Severity;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.TicketChange;
import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.mapping.TroubleTicketDto;
import io.unichannel.ticket.repository.TroubleTicketRepository.Filter;
import io.unichannel.ticket.service.TicketService;
import io.unichannel.ticket.sla.SlaService;
import io.unichannel.common.security.AccessAudited;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The staff API over work orders, TMF621 Trouble Ticket v5: list, read, change. */
@Path(TroubleTicketDto.BASE_PATH)
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "TroubleTicket")
public class TroubleTicketResource {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final TicketService tickets;
    private final SlaService sla;
    private final JsonWebToken token;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public TroubleTicketResource(TicketService tickets, SlaService sla, JsonWebToken token,
            io.quarkus.security.identity.SecurityIdentity identity) {
        this.tickets = tickets;
        this.sla = sla;
        this.token = token;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "List the tickets in the caller's scope (ops: all; agents and supervisors: their region's and "
            + "those assigned to them), newest first; X-Total-Count tells how many match")
    @AccessAudited(resource = "trouble-ticket-list")
    public Uni<Response> list(@QueryParam("status") String status, @QueryParam("ticketType") String ticketType,
            @QueryParam("channel") String channel, @QueryParam("relatedParty.id") String customerId,
            @QueryParam("assignee") String assignee,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        Filter filter = new Filter(status, ticketType, channel, customerId, assignee, StaffScope.of(identity));
        return tickets.count(filter).chain(total -> tickets.list(filter, offset, limit).map(page -> {
            List<TroubleTicketDto> body = page.stream().map(TroubleTicketDto::of).toList();
            return Response.ok(body).header("X-Total-Count", total).header("X-Result-Count", body.size()).build();
        }));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One ticket with its full status history, notes and SLA clocks (characteristic slaClock)")
    @AccessAudited(resource = "trouble-ticket", idParam = "id")
    public Uni<TroubleTicketDto> get(@PathParam("id") String id) {
        return tickets.get(id, StaffScope.of(identity)).map(t -> TroubleTicketDto.of(t).withSlaClocks(sla.views(t)));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change status (with a reason), add a note, assign, reprioritise or re-grade a ticket; its SLA clocks follow")
    @AccessAudited(resource = "trouble-ticket", action = AccessAudited.Action.CHANGE, idParam = "id")
    public Uni<TroubleTicketDto> patch(@PathParam("id") String id, @Valid @NotNull TicketPatch patch) {
        TicketStatus status = null;
        if (patch.status() != null) {
            status = TicketStatus.fromTmfName(patch.status()).orElseThrow(() -> new ProblemException(
                    ProblemTypes.INVALID_REQUEST, "Unknown status", 400, "'" + patch.status()
                            + "' is not a TMF621 status"));
        }
        TicketChange change = new TicketChange(status, patch.statusChangeReason(),
                patch.note() == null || patch.note().isEmpty() ? null : patch.note().get(0).text(),
                patch.relatedParty() == null || patch.relatedParty().isEmpty() ? null : patch.relatedParty().get(0).id(),
                patch.priority(), patch.severity() == null ? null : Severity.fromTmfName(patch.severity()).orElseThrow());
        if (change.isEmpty()) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Nothing to change", 400,
                    "Give at least one of status, note, relatedParty, priority or severity.");
        }
        String actor = token.getClaim("preferred_username") != null ? token.getClaim("preferred_username")
                : token.getSubject();
        return tickets.change(id, change, actor, StaffScope.of(identity)).map(t -> TroubleTicketDto.of(t).withSlaClocks(sla.views(t)));
    }
}
