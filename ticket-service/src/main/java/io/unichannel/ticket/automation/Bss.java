package io.unichannel.ticket.automation;

import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * The operator's BSS as the automation needs it: the package catalogue with its change rules, a
 * customer's account (package, contract, balance), their last bill, and carrying out a package
 * change. Contract: docs/integrations/bss-oss.md. Every call has a timeout, is retried on failure
 * (never on a refusal, a 4xx) and has a circuit breaker of its own (the annotations on the
 * interface hold for every method; a package change waits longer), so a slow or failing BSS
 * costs intake nothing: its tasks wait and are tried again.
 */
@RegisterRestClient(configKey = "bss")
@RegisterProvider(OperatorRefusal.Mapper.class)
@Path("/bss/v1")
@Timeout(2000)
@Retry(maxRetries = 2, delay = 200, abortOn = OperatorRefusal.class)
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000, skipOn = OperatorRefusal.class)
public interface Bss {

    record Target(String packageId, long feeCents) {
    }

    record CatalogPackage(String id, String name, String technology, long monthlyFeeCents, List<Target> allowedTargets) {
    }

    record Account(String customerId, String msisdn, String packageId, LocalDate contractEndDate, boolean contractLocked,
            long balanceCents, String preferredChannel) {
    }

    record BillItem(String code, String name, long amountCents) {
    }

    record Bill(String period, long totalCents, List<BillItem> items) {
    }

    /** A contract as the renewal reminders list them. */
    record Contract(String customerId, String packageId, LocalDate contractEndDate, String preferredChannel) {
    }

    /** Average use per month over the last three months. */
    record Usage(double dataGbPerMonth, int voiceMinutesPerMonth) {
    }

    record PackageChangeRequest(String targetPackageId, String reference) {
    }

    record PackageChange(String changeId, String customerId, String reference, String fromPackageId, String toPackageId,
            long feeCents) {
    }

    @GET
    @Path("/packages")
    Uni<List<CatalogPackage>> packages();

    @GET
    @Path("/accounts/{customerId}")
    Uni<Account> account(@PathParam("customerId") String customerId);

    @GET
    @Path("/accounts/{customerId}/bill")
    Uni<Bill> bill(@PathParam("customerId") String customerId);

    @GET
    @Path("/contracts")
    Uni<List<Contract>> contractsEndingOn(@jakarta.ws.rs.QueryParam("endingOn") LocalDate endingOn);

    @GET
    @Path("/accounts/{customerId}/usage")
    Uni<Usage> usage(@PathParam("customerId") String customerId);

    /** Idempotent on the reference (the ticket id): a retried change returns the first one's result. */
    @POST
    @Path("/accounts/{customerId}/package-changes")
    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 300, abortOn = OperatorRefusal.class)
    Uni<PackageChange> changePackage(@PathParam("customerId") String customerId, PackageChangeRequest request);
}
