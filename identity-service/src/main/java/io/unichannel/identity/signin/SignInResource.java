package io.unichannel.identity.signin;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Channels;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Actor;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Channel sign-in for the channels that have no password form: each call comes from the channel
 * adapter's own client (its service account, or at the counter the agent signed in on the store
 * client) and answers with a token for that client, subject = the customer. The APP and web
 * channels sign in at Keycloak directly with username and password; any channel's token can be
 * exchanged for another's at Keycloak (standard token exchange) without verifying again.
 */
@Path("/api/v1/sign-in")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in", description = "WeChat openid, one-time code, service password and counter sign-in")
public class SignInResource {

    private static final Set<String> CODE_CHANNELS = Set.of(Channels.HOTLINE, Channels.SMS, Channels.WECHAT);
    private static final String PHONE = "^\\+?[0-9]{6,15}$";

    private final SignInService signIn;
    private final SecurityIdentity identity;
    private final io.unichannel.identity.customer.CustomerService customers;

    public SignInResource(SignInService signIn, SecurityIdentity identity,
            io.unichannel.identity.customer.CustomerService customers) {
        this.customers = customers;
        this.signIn = signIn;
        this.identity = identity;
    }

    public record WechatRequest(@NotBlank @Size(max = 64) String openId) {
    }

    public record CodeRequest(@NotBlank @Pattern(regexp = PHONE, message = "must be a phone number") String msisdn) {
    }

    public record ChallengeView(UUID challengeId, String sentTo, String expiresAt) {
    }

    public record CodeAnswer(@NotBlank @Pattern(regexp = "^[0-9]{4,8}$", message = "must be the digits received") String code) {
    }

    public record ServicePasswordRequest(@NotBlank @Pattern(regexp = PHONE, message = "must be a phone number") String msisdn,
            @NotBlank @Pattern(regexp = "^[0-9]{6}$", message = "must be six digits") String servicePassword) {
    }

    public record CounterRequest(@NotBlank @Pattern(regexp = PHONE, message = "must be a phone number") String msisdn,
            @NotNull @Valid IdDocument idDocument) {
    }

    public record IdDocument(@NotBlank @Pattern(regexp = "resident-id|passport|hk-macau-permit|taiwan-permit") String type,
            @NotBlank @Pattern(regexp = "^[0-9A-Za-z]{6,32}$", message = "must be the document number") String number) {
    }

    public record AuditView(String customerId, String channel, String flow, String agent, String agentName, String signedInAt) {
    }

    @POST
    @Path("/wechat")
    @RolesAllowed(Roles.CHANNEL_ADAPTER)
    @Operation(summary = "WeChat: the adapter presents the customer's openid")
    public Uni<Map<String, Object>> wechat(@Valid @NotNull WechatRequest body) {
        return signIn.wechat(body.openId(), adapterOn(Set.of(Channels.WECHAT)));
    }

    @POST
    @Path("/one-time-codes")
    @RolesAllowed(Roles.CHANNEL_ADAPTER)
    @Operation(summary = "Send a one-time code", description = "The code goes to the customer's phone through the "
            + "notifications topic (sealed); it expires, is rate limited, and five wrong tries lock the flow for a while.")
    public Uni<Response> sendCode(@Valid @NotNull CodeRequest body) {
        return signIn.startOneTimeCode(body.msisdn(), adapterOn(CODE_CHANNELS)).map(c -> Response.status(201)
                .entity(new ChallengeView(c.challengeId(), c.sentTo(), Timestamps.rfc3339(c.expiresAt()))).build());
    }

    @POST
    @Path("/one-time-codes/{challengeId}")
    @RolesAllowed(Roles.CHANNEL_ADAPTER)
    @Operation(summary = "Answer a one-time code; the right code signs the customer in on the adapter's channel")
    public Uni<Map<String, Object>> answerCode(@PathParam("challengeId") UUID challengeId, @Valid @NotNull CodeAnswer body) {
        return signIn.verifyOneTimeCode(challengeId, body.code(), adapterOn(CODE_CHANNELS));
    }

    @POST
    @Path("/service-password")
    @RolesAllowed(Roles.CHANNEL_ADAPTER)
    @Operation(summary = "Hotline/SMS: caller number plus service password")
    public Uni<Map<String, Object>> servicePassword(@Valid @NotNull ServicePasswordRequest body) {
        return signIn.servicePassword(body.msisdn(), body.servicePassword(), adapterOn(Set.of(Channels.HOTLINE, Channels.SMS)));
    }

    @POST
    @Path("/counter")
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Store counter: an agent checked the customer's ID document", description = "The agent must be "
            + "signed in on the store client; the session records the agent.")
    @io.unichannel.common.security.AccessAudited(resource = "counter-sign-in")
    public Uni<Map<String, Object>> counter(@Valid @NotNull CounterRequest body) {
        Actor agent = Actor.of(identity);
        if (!Channels.clientId(Channels.STORE).equals(agent.clientId())) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Counter only", 403,
                    "Counter sign-in is for agents signed in on the store counter client.");
        }
        return signIn.counter(body.msisdn(), body.idDocument().number(), agent);
    }

    @GET
    @Path("/audit/{customerId}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "Sign-ins identity-service vouched for, newest first (who, where, how, which agent)")
    @io.unichannel.common.security.AccessAudited(resource = "sign-in-audit", idParam = "customerId", idIsCustomer = true)
    public Uni<List<AuditView>> audit(@PathParam("customerId") String customerId,
            @jakarta.ws.rs.QueryParam("offset") @jakarta.ws.rs.DefaultValue("0") @jakarta.validation.constraints.Min(0)
            @jakarta.validation.constraints.Max(100_000) int offset,
            @jakarta.ws.rs.QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") @jakarta.validation.constraints.Min(1)
            @jakarta.validation.constraints.Max(200) int limit) {
        return customers.accessible(customerId, Actor.of(identity)).chain(c -> signIn.audit(customerId, offset, limit)).map(list -> list.stream().map(a -> new AuditView(a.customerId, a.channel, a.flow,
                a.agent, a.agentName, Timestamps.rfc3339(a.signedInAt))).toList());
    }

    private Actor adapterOn(Set<String> channels) {
        Actor actor = Actor.of(identity);
        if (actor.channel() == null || !channels.contains(actor.channel())) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Wrong channel", 403,
                    "This sign-in is for the " + String.join(", ", channels) + " adapters.");
        }
        return actor;
    }
}
