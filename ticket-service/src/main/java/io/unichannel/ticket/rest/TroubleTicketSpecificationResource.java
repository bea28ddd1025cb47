package io.unichannel.ticket.rest;

import java.util.List;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.mapping.TroubleTicketSpecificationDto;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** TMF621 troubleTicketSpecification: the ticket types the platform handles and the characteristics they carry. */
@Path(TroubleTicketSpecificationDto.BASE_PATH)
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS, Roles.PARTNER})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "TroubleTicketSpecification")
public class TroubleTicketSpecificationResource {

    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public TroubleTicketSpecificationResource(com.fasterxml.jackson.databind.ObjectMapper json) {
        this.json = json;
    }

    @GET
    @Operation(summary = "The specifications of the ticket types (complaint, consultation, businessRequest, faultRepair)")
    public Response list(@QueryParam("fields") String fields, @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(1000) int offset,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        FieldSelection selection = FieldSelection.parse(fields);
        List<TroubleTicketSpecificationDto> all = TroubleTicketSpecificationDto.all();
        List<Object> page = all.stream().skip(offset).limit(limit).map(s -> selection.apply(s, json)).toList();
        return Response.ok(page).header("X-Total-Count", all.size()).header("X-Result-Count", page.size()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One ticket type's specification")
    public Object get(@PathParam("id") String id, @QueryParam("fields") String fields) {
        return FieldSelection.parse(fields).apply(TroubleTicketSpecificationDto.find(id).orElseThrow(() -> new ProblemException(
                ProblemTypes.NOT_FOUND, "Specification not found", 404, "There is no trouble ticket specification " + id + ".")), json);
    }
}
