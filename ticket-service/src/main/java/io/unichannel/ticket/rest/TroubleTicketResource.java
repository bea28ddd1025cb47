package io.unichannel.ticket.rest;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.security.Channels;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.AccessAudited;
import io.unichannel.common.security.Roles;
import io.unichannel.common.validation.Text;
import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.Severity;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.TicketChange;
import io.unichannel.ticket.TicketDetails;
import io.unichannel.ticket.TicketStatus;
import io.unichannel.ticket.mapping.TroubleTicketDto;
import io.unichannel.ticket.repository.TicketQuery;
import io.unichannel.ticket.repository.TroubleTicketRepository.Filter;
import io.unichannel.ticket.service.TicketService;
import io.unichannel.ticket.sla.SlaService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * TMF621 Trouble Ticket v5 over work orders: list (TMF630 filters, attribute selection, paging),
 * read, create (partner and system clients), change (merge-patch) and delete (administrators).
 */
@Path(TroubleTicketDto.BASE_PATH)
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS, Roles.PARTNER})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "TroubleTicket")
public class TroubleTicketResource {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final TicketService tickets;
    private final SlaService sla;
    private final JsonWebToken token;
    private final io.quarkus.security.identity.SecurityIdentity identity;
    private final ObjectMapper json;
    private final jakarta.validation.Validator validator;

    public TroubleTicketResource(TicketService tickets, SlaService sla, JsonWebToken token,
            io.quarkus.security.identity.SecurityIdentity identity, ObjectMapper json, jakarta.validation.Validator validator) {
        this.validator = validator;
        this.tickets = tickets;
        this.sla = sla;
        this.token = token;
        this.identity = identity;
        this.json = json;
    }

    @GET
    @Operation(summary = "List the tickets in the caller's scope (ops: all; agents and supervisors: their region's and "
            + "those assigned to them; partners: those they opened and their granted region's), newest first. TMF630 "
            + "attribute filters (status=acknowledged,inProgress; creationDate.gte=...), sort, fields; "
            + "X-Total-Count tells how many match, X-Result-Count how many are in this page")
    @AccessAudited(resource = "trouble-ticket-list")
    public Uni<Response> list(@Context UriInfo uri, @QueryParam("fields") String fields,
            @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(1_000_000) int offset,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        Filter filter = new Filter(TicketQuery.parse(uri.getQueryParameters()), StaffScope.of(identity));
        FieldSelection selection = FieldSelection.parse(fields);
        return tickets.count(filter).chain(total -> tickets.list(filter, offset, limit).map(page -> {
            List<Object> body = page.stream().map(t -> selection.apply(TroubleTicketDto.of(t), json)).toList();
            return Response.ok(body).header("X-Total-Count", total).header("X-Result-Count", body.size()).build();
        }));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One ticket with its full status history, notes and SLA clocks (characteristic slaClock); "
            + "fields selects first-level attributes")
    @AccessAudited(resource = "trouble-ticket", idParam = "id")
    public Uni<Object> get(@PathParam("id") String id, @QueryParam("fields") String fields) {
        FieldSelection selection = FieldSelection.parse(fields);
        return tickets.get(id, StaffScope.of(identity))
                .map(t -> selection.apply(TroubleTicketDto.of(t).withSlaClocks(sla.views(t)), json));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PARTNER, Roles.OPS})
    @Operation(summary = "Open a ticket for a customer (partner and system clients): validated, idempotent on the "
            + "partner's external identifier, committed with its TroubleTicketCreateEvent; 201 with the ticket")
    @AccessAudited(resource = "trouble-ticket", action = AccessAudited.Action.CHANGE)
    @io.quarkus.resteasy.reactive.jackson.CustomDeserialization(io.unichannel.common.problem.ClosedBody.class)
    public Uni<Response> create(@Valid @NotNull TicketCreate body, @QueryParam("fields") String fields) {
        FieldSelection selection = FieldSelection.parse(fields);
        String client = client();
        String customer = body.relatedParty().stream().filter(p -> "customer".equals(p.role()))
                .map(p -> p.partyOrPartyRole().id()).findFirst()
                .orElseThrow(() -> invalid("relatedParty must name the customer (role customer, partyOrPartyRole.id)."));
        require(Text.isValidRequired(customer, 64, false), "the customer's id must be 1 to 64 printable characters");
        require(Text.isValidRequired(body.description(), 4000, true), "description must be printable text");
        String channel = body.channel() == null ? Channels.WEB
                : body.channel().name() != null ? body.channel().name() : body.channel().id();
        require(channel != null && Channels.ALL.contains(channel),
                "channel.name must be one of " + String.join(", ", Channels.ALL) + " (the channel the customer follows it on)");
        String region = characteristic(body, "region");
        String category = characteristic(body, "category");
        require(region == null || Text.isValidRequired(region, 64, false), "region must be 1 to 64 printable characters");
        require(category == null || Text.isValidRequired(category, 64, false), "category must be 1 to 64 printable characters");
        String reference = body.externalIdentifier() == null ? null : body.externalIdentifier().stream()
                .map(TicketCreate.ExternalInput::id).findFirst().orElse(null);
        require(reference == null || Text.isValidRequired(reference, 64, false), "externalIdentifier.id must be printable");
        UUID requestId = reference == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("partner:" + client + ":" + reference).getBytes(StandardCharsets.UTF_8));
        require(body.name() == null || Text.isValidRequired(body.name(), 200, false), "name must be printable text");
        ChannelRequest request = new ChannelRequest(requestId, reference, channel, customer, body.name(),
                body.ticketType(), body.description(), category, body.severity(), null, region, null, Map.of(),
                OffsetDateTime.now(ZoneOffset.UTC));
        TicketDetails details = TicketDetails.NONE
                .withExternalIdentifier(body.externalIdentifier() == null ? List.of() : body.externalIdentifier().stream()
                        .map(e -> new TicketDetails.ExternalIdentifier(e.id(), e.externalIdentifierType(),
                                e.owner() == null ? client : e.owner())).toList())
                .withAttachment(body.attachment() == null ? List.of() : TmfInputs.attachments(body.attachment()))
                .withRelatedEntity(body.relatedEntity() == null ? List.of() : TmfInputs.entities(body.relatedEntity()))
                .withRelationship(body.troubleTicketRelationship() == null ? List.of()
                        : body.troubleTicketRelationship().stream().map(TmfInputs.RelationshipInput::toDetail).toList());
        TicketService.Given given = new TicketService.Given(body.name(), body.requestedResolutionDate(), details,
                TmfInputs.notes(body.note()));
        return tickets.openForPartner(request, client, given).map(opened -> Response.status(Response.Status.CREATED)
                .location(java.net.URI.create(TroubleTicketDto.BASE_PATH + "/" + opened.ticket().id))
                .entity(selection.apply(TroubleTicketDto.of(opened.ticket()).withSlaClocks(sla.views(opened.ticket())), json))
                .build());
    }

    @PATCH
    @Path("{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS, Roles.PARTNER})
    @Operation(summary = "JSON merge-patch (RFC 7386) of a ticket: name, description, status (with a reason), notes "
            + "(added), assignee, priority, severity, requestedResolutionDate, attachment, relatedEntity and the category "
            + "characteristic; null removes name, requestedResolutionDate, attachment and relatedEntity. Attributes the "
            + "platform sets are refused naming them. Partners change the tickets they opened: name, description, notes, "
            + "requestedResolutionDate, attachment and relatedEntity. The SLA clocks follow")
    @AccessAudited(resource = "trouble-ticket", action = AccessAudited.Action.CHANGE, idParam = "id")
    public Uni<Object> patch(@PathParam("id") String id, @NotNull JsonNode body, @QueryParam("fields") String fields) {
        FieldSelection selection = FieldSelection.parse(fields);
        TicketPatch patch = MergePatch.read(body, json, validator);
        boolean partner = identity.hasRole(Roles.PARTNER) && !identity.hasRole(Roles.OPS);
        if (partner) {
            MergePatch.refuse(body, MergePatch.STAFF_ONLY, "is changed by the operator's staff, not by a partner");
        }
        TicketStatus status = null;
        if (patch.status() != null) {
            status = TicketStatus.fromTmfName(patch.status()).orElseThrow(() -> new ProblemException(
                    ProblemTypes.INVALID_REQUEST, "Unknown status", 400, "'" + patch.status()
                            + "' is not a TMF621 status"));
            if (status == TicketStatus.REJECTED && !Text.isValidRequired(patch.statusChangeReason(), 1000, true)) {
                throw new ProblemException(new io.unichannel.common.problem.Problem(ProblemTypes.INVALID_REQUEST,
                        "Reason required", 400, "A ticket is rejected with the reason the customer and partner will read.")
                        .with("errors", List.of(Map.of("field", "statusChangeReason", "message", "must not be blank"))));
            }
        }
        String assignee = null;
        if (patch.relatedParty() != null && !patch.relatedParty().isEmpty()) {
            assignee = patch.relatedParty().get(0).partyId();
            require(Text.isValidRequired(assignee, 64, false), "relatedParty needs partyOrPartyRole.id (1 to 64 printable characters)");
        }
        require(patch.description() == null || Text.isValidRequired(patch.description(), 4000, true), "description must be printable text");
        require(patch.name() == null || Text.isValidRequired(patch.name(), 200, false), "name must be printable text");
        List<TicketChange.NewNote> notes = TmfInputs.notes(patch.note());
        String category = patch.troubleTicketCharacteristic() == null || patch.troubleTicketCharacteristic().isEmpty() ? null
                : patch.troubleTicketCharacteristic().get(0).value();
        require(category == null || Text.isValidRequired(category, 64, false), "category must be 1 to 64 printable characters");
        TicketChange change = new TicketChange(status, patch.statusChangeReason(), null, assignee, patch.priority(),
                patch.severity() == null ? null : Severity.fromTmfName(patch.severity()).orElseThrow(),
                notes, MergePatch.optional(body, "name", patch.name()), patch.description(), category,
                MergePatch.optional(body, "requestedResolutionDate", patch.requestedResolutionDate()),
                MergePatch.list(body, "relatedEntity", TmfInputs.entities(patch.relatedEntity())),
                MergePatch.list(body, "attachment", TmfInputs.attachments(patch.attachment())));
        if (change.isEmpty()) {
            throw invalid("Give at least one attribute to change (name, description, status, note, relatedParty, priority, "
                    + "severity, requestedResolutionDate, attachment, relatedEntity or troubleTicketCharacteristic).");
        }
        return tickets.change(id, change, client(), partner ? StaffScope.reportedBy(client()) : StaffScope.of(identity), !partner)
                .map(t -> selection.apply(TroubleTicketDto.of(t).withSlaClocks(sla.views(t)), json));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a ticket (administrators only); TroubleTicketDeleteEvent tells every consumer")
    @AccessAudited(resource = "trouble-ticket", action = AccessAudited.Action.CHANGE, idParam = "id")
    public Uni<Response> delete(@PathParam("id") String id) {
        return tickets.delete(id).replaceWith(Response.noContent().build());
    }

    private String client() {
        if (identity.hasRole(Roles.PARTNER) && token.getClaim("azp") != null) {
            return token.getClaim("azp");
        }
        return token.getClaim("preferred_username") != null ? token.getClaim("preferred_username") : token.getSubject();
    }

    private static String characteristic(TicketCreate body, String name) {
        return body.troubleTicketCharacteristic() == null ? null : body.troubleTicketCharacteristic().stream()
                .filter(c -> name.equals(c.name())).map(TicketCreate.CharacteristicInput::value).findFirst().orElse(null);
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw invalid(detail);
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400, detail);
    }
}
