package io.unichannel.ticket.automation;

import java.util.List;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/**
 * The operator's OSS as fault diagnosis needs it: a customer's line and device (optical power of
 * the ONT, alarms, whether the customer-side configuration checks out, recent faults) and the
 * outages open in an area. Contract: docs/integrations/bss-oss.md.
 */
@RegisterRestClient(configKey = "oss")
@RegisterProvider(OperatorRefusal.Mapper.class)
@Path("/oss/v1")
@Timeout(2000)
@Retry(maxRetries = 2, delay = 200, abortOn = OperatorRefusal.class)
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000, skipOn = OperatorRefusal.class)
public interface Oss {

    record Line(String lineId, String technology, String area, Double ontRxPowerDbm, List<String> alarms,
            boolean cpeConfigOk, int faultsLast90Days) {
    }

    record Outage(String id, String area, String cause, String since, String expectedRestore) {
    }

    /** A customer whose line is in an area. */
    record AreaLine(String customerId, String lineId, String area) {
    }

    @GET
    @Path("/lines/{customerId}")
    Uni<Line> line(@PathParam("customerId") String customerId);

    /** The customers whose line is in the area, ordered by customer id, those after {@code after}, at most {@code limit}. */
    @GET
    @Path("/lines")
    Uni<List<AreaLine>> linesIn(@QueryParam("area") String area, @QueryParam("after") String after,
            @QueryParam("limit") int limit);

    @GET
    @Path("/outages")
    Uni<List<Outage>> outages(@QueryParam("area") String area);
}
