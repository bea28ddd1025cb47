package io.unichannel.ticket.automation;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.security.Roles;
import io.unichannel.ticket.StaffScope;
import io.unichannel.ticket.service.TicketService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Every automatic decision, read back with its inputs, the rule set and version that took it, the
 * rules that fired, the outcome and what was done. Staff see the decisions of the tickets they may
 * see; a ticket out of their scope is a 404, as the ticket itself is.
 */
@Path("/api/v1/automation")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Tag(name = "Automation")
public class AutomationResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A decision as staff and auditors read it. */
    public record DecisionView(String id, String ticketId, String ruleSet, String ruleSetVersion, String mode, String outcome,
            Object inputs, Object findings, Object firedRules, String action, String decidedAt, long decisionMicros,
            long operatorMillis) {
    }

    private final TicketService tickets;
    private final SecurityIdentity identity;

    public AutomationResource(TicketService tickets, SecurityIdentity identity) {
        this.tickets = tickets;
        this.identity = identity;
    }

    @GET
    @Path("tickets/{ticketId}/decisions")
    @WithSession
    @Operation(summary = "The automatic decisions about a ticket: inputs, rule set and version, fired rules, outcome, action")
    @io.unichannel.common.security.AccessAudited(resource = "automation-decision")
    public Uni<List<DecisionView>> decisions(@PathParam("ticketId") @Pattern(regexp = "[A-Za-z0-9-]{1,32}") String ticketId) {
        return tickets.get(ticketId, StaffScope.of(identity))
                .chain(t -> AutomationDecision.<AutomationDecision>list("ticketId = ?1 order by decidedAt", ticketId))
                .map(list -> list.stream().map(AutomationResource::view).toList());
    }

    static DecisionView view(AutomationDecision d) {
        return new DecisionView(d.id, d.ticketId, d.ruleSet, d.ruleSetVersion, d.mode, d.outcome, parse(d.inputs),
                parse(d.findings), parse(d.firedRules), d.action, d.decidedAt.toString(), d.decisionMicros, d.operatorMillis);
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", json);
        }
    }
}
