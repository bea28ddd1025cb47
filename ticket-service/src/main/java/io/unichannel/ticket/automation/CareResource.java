package io.unichannel.ticket.automation;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * Proactive care for operations: run the renewal pass for a given day (after an outage of the
 * daily pass, or to try the rules on a test system), and read back each reminder's decision with
 * its inputs, rule version and offer.
 */
@Path("/api/v1/automation/care")
@RolesAllowed(Roles.OPS)
@Tag(name = "Automation")
public class CareResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The day the pass runs as; contracts ending the configured number of days later are reminded. */
    public record RunRequest(@NotNull LocalDate asOf) {
    }

    /** A reminder's decision as operations read it. */
    public record OfferView(String id, String customerId, String contractEnd, String currentPackage, String offeredPackage,
            String outcome, String ruleSet, String ruleSetVersion, Object inputs, Object findings, Object firedRules,
            String channel, String decidedAt) {
    }

    private final RenewalCare care;

    public CareResource(RenewalCare care) {
        this.care = care;
    }

    @POST
    @Path("runs")
    @Operation(summary = "Run the renewal pass as of a day: each contract ending then is reminded once")
    public Uni<RenewalCare.CareRun> run(@Valid @NotNull RunRequest request) {
        // The BSS away or the rules still compiling: a 503 to try again, never a 500.
        return care.run(request.asOf()).onFailure(e -> !(e instanceof jakarta.ws.rs.WebApplicationException))
                .transform(e -> new jakarta.ws.rs.ServiceUnavailableException("The renewal pass cannot run now: " + e.getMessage(),
                        10L));
    }

    @GET
    @Path("offers")
    @WithSession
    @Operation(summary = "A customer's renewal reminders: the offer, the rules' inputs, version and findings")
    @io.unichannel.common.security.AccessAudited(resource = "care-offer")
    public Uni<List<OfferView>> offers(@QueryParam("customerId") @NotNull @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}") String customerId) {
        return CareOffer.<CareOffer>list("customerId = ?1 order by decidedAt", customerId)
                .map(list -> list.stream().map(o -> new OfferView(o.id, o.customerId, o.contractEnd.toString(), o.currentPackage,
                        o.offeredPackage, o.outcome, Automation.RENEWAL_OFFER, o.ruleSetVersion, parse(o.inputs), parse(o.findings),
                        parse(o.firedRules), o.channel, o.decidedAt.toString())).toList());
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", json);
        }
    }
}
