package io.unichannel.gateway.adapters;

import java.util.Optional;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import io.unichannel.gateway.intake.Intake;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Who is behind a channel identity (a WeChat openid, the number an SMS came from), asked of
 * identity-service by each adapter as its own service account (client credentials of
 * channel-wechat, channel-sms): the customer whose record has it bound, with the region and value
 * tier intake needs. An identity nobody has bound is nobody yet.
 */
@ApplicationScoped
public class ChannelCustomers {

    public record Resolved(String customerId) {
    }

    /** What the adapters learn of a customer; the number only sealed, opened right before a text is sent. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record CustomerRecord(String id, String region, String valueTier, String preferredChannel, String msisdnSealed) {
    }

    /** What every adapter asks identity-service: who has an identity bound, and their record. */
    @Path("/api/v1")
    public interface IdentityLookup {
        @GET
        @Path("/resolve")
        Uni<Resolved> resolve(@QueryParam("type") String type, @QueryParam("externalId") String externalId);

        @GET
        @Path("/customers/{id}")
        Uni<CustomerRecord> customer(@PathParam("id") String id);
    }

    /** identity-service as the WeChat adapter. */
    @RegisterRestClient(configKey = "identity")
    @OidcClientFilter("wechat")
    @Path("/api/v1")
    public interface AsWeChat extends IdentityLookup {
    }

    /** identity-service as the SMS adapter. */
    @RegisterRestClient(configKey = "identity")
    @OidcClientFilter("sms")
    @Path("/api/v1")
    public interface AsSms extends IdentityLookup {
        /** The staff a notice addressed to {@code to} reaches by text. */
        @GET
        @Path("/staff-reach")
        Uni<java.util.List<StaffReach>> staffReach(@QueryParam("to") String to);
    }

    /** A member of staff who reads their notices by text too, their mobile sealed. */
    public record StaffReach(String username, String noticeChannel, String msisdnSealed) {
    }

    /** identity-service as the hotline (CTI and IVR) adapter. */
    @RegisterRestClient(configKey = "identity")
    @OidcClientFilter("hotline")
    @Path("/api/v1")
    public interface AsHotline extends IdentityLookup {
    }

    /** identity-service asked with the calling staff member's own token: their scope applies. */
    @RegisterRestClient(configKey = "identity")
    @Path("/api/v1")
    public interface AsCaller {
        @GET
        @Path("/customers/{id}")
        Uni<CustomerRecord> customer(@jakarta.ws.rs.HeaderParam("Authorization") String authorization,
                @PathParam("id") String id);
    }

    private final AsWeChat wechat;
    private final AsSms sms;
    private final AsHotline hotline;

    public ChannelCustomers(@RestClient AsWeChat wechat, @RestClient AsSms sms, @RestClient AsHotline hotline) {
        this.wechat = wechat;
        this.sms = sms;
        this.hotline = hotline;
    }

    /** The customer behind a caller id the network presented (not a verified identity), or empty. */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000)
    public Uni<Optional<Intake.Submitter>> byCallerId(String msisdn) {
        return submitter("hotline", hotline.resolve("msisdn", msisdn).chain(r -> hotline.customer(r.customerId())));
    }

    /** The submitter behind an openid, or empty when no customer has bound it. */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000)
    public Uni<Optional<Intake.Submitter>> byOpenId(String openId) {
        return submitter("wechat", wechat.resolve("wechatOpenId", openId).chain(r -> wechat.customer(r.customerId())));
    }

    /** The submitter behind a phone number, or empty when no customer has bound it. */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000)
    public Uni<Optional<Intake.Submitter>> byMsisdn(String msisdn) {
        return submitter("sms", sms.resolve("msisdn", msisdn).chain(r -> sms.customer(r.customerId())));
    }

    /**
     * The customer's contact details as the SMS adapter may see them, or empty when identity-service
     * will never give them (an id it does not know or refuses as malformed: any 4xx but 401, 403,
     * 408 and 429, which say the gateway's own credentials or identity-service's load, and pass).
     */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000)
    public Uni<Optional<CustomerRecord>> contact(String customerId) {
        return sms.customer(customerId).map(Optional::of)
                .onFailure(e -> e instanceof WebApplicationException w && neverAnswers(w.getResponse().getStatus()))
                .recoverWithItem(Optional.empty());
    }

    /**
     * The staff a notice addressed to {@code to} (a user name, supervisors:&lt;region&gt;) reaches by
     * text; empty when identity-service will never name anyone for it (a 4xx but 401, 403, 408, 429).
     */
    @Timeout(2000)
    @Retry(maxRetries = 2, delay = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000)
    public Uni<java.util.List<StaffReach>> staffReach(String to) {
        return sms.staffReach(to)
                .onFailure(e -> e instanceof WebApplicationException w && neverAnswers(w.getResponse().getStatus()))
                .recoverWithItem(java.util.List.of());
    }

    private static boolean neverAnswers(int status) {
        return status / 100 == 4 && status != 401 && status != 403 && status != 408 && status != 429;
    }

    private static Uni<Optional<Intake.Submitter>> submitter(String channel, Uni<CustomerRecord> lookup) {
        // 404: nobody has it bound; 400: not an identity identity-service would ever bind. Either way, nobody.
        return lookup.map(c -> Optional.of(new Intake.Submitter(c.id(), c.id(), channel, c.region(), c.valueTier())))
                .onFailure(e -> e instanceof WebApplicationException w
                        && (w.getResponse().getStatus() == 404 || w.getResponse().getStatus() == 400))
                .recoverWithItem(Optional.empty());
    }
}
