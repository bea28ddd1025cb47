package io.unichannel.analytics.rest;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.unichannel.analytics.Kpi;
import io.unichannel.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The KPIs' versioned definitions, so a number on a dashboard or in BI can be read exactly. */
@Path("/api/v1/kpi-definitions")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "KPIs")
public class KpiDefinitionResource {

    @GET
    @Operation(summary = "Every KPI: its id, unit and definition, and the definitions' version")
    public Map<String, Object> definitions() {
        List<Map<String, String>> kpis = Arrays.stream(Kpi.values())
                .map(k -> Map.of("kpi", k.id(), "unit", k.unit(), "definition", k.definition())).toList();
        return Map.of("version", Kpi.DEFINITIONS_VERSION, "kpis", kpis);
    }
}
