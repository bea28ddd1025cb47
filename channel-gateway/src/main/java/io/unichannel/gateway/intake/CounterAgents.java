package io.unichannel.gateway.intake;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Channels;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.rest.SubmitRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * At the store counter an agent works for the customer in front of them, whose ID they checked
 * (identity-service's counter sign-in gives the session). Every submission on the store channel
 * names that agent: the agent's own token travels in {@code X-Counter-Agent}, is verified like any
 * token, and the agent (and their region) is recorded on the request as {@code counterAgent}. No
 * other caller may set those attributes.
 */
@ApplicationScoped
public class CounterAgents {

    public static final String HEADER = "X-Counter-Agent";
    static final String AGENT = "counterAgent";
    static final String AGENT_REGION = "counterAgentRegion";

    private final TenantIdentityProvider tokens;

    public CounterAgents(TenantIdentityProvider tokens) {
        this.tokens = tokens;
    }

    /** The body to submit: with the verified counter agent on the store channel, unchanged elsewhere. */
    public Uni<SubmitRequest> attribute(String channel, SubmitRequest body, String agentToken) {
        if (body.attributes() != null && (body.attributes().containsKey(AGENT) || body.attributes().containsKey(AGENT_REGION))) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400,
                    "counterAgent and counterAgentRegion are recorded by the counter, not sent.");
        }
        if (!Channels.STORE.equals(channel)) {
            return Uni.createFrom().item(body);
        }
        if (body.attributes() != null && body.attributes().size() > 18) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400,
                    "At the counter a request carries at most 18 attributes (the counter adds two).");
        }
        if (agentToken == null || agentToken.isBlank() || agentToken.length() > 16_384) {
            throw missing();
        }
        String raw = agentToken.regionMatches(true, 0, "Bearer ", 0, 7) ? agentToken.substring(7).strip() : agentToken.strip();
        return tokens.authenticate(new AccessTokenCredential(raw))
                .onFailure().transform(e -> missing())
                .map(agent -> withAgent(body, agent));
    }

    private static SubmitRequest withAgent(SubmitRequest body, SecurityIdentity agent) {
        if (!agent.hasRole(Roles.AGENT) && !agent.hasRole(Roles.SUPERVISOR)) {
            throw missing();
        }
        Map<String, String> attributes = new LinkedHashMap<>(body.attributes() == null ? Map.of() : body.attributes());
        String name = agent.getPrincipal().getName();
        if (agent.getPrincipal() instanceof JsonWebToken token) {
            Object username = token.getClaim("preferred_username");
            name = username != null ? username.toString() : token.getSubject();
            Object region = token.getClaim("region");
            if (region != null) {
                attributes.put(AGENT_REGION, region.toString());
            }
        }
        attributes.put(AGENT, name);
        return new SubmitRequest(body.requestType(), body.description(), body.category(), body.severity(), body.urgency(), attributes);
    }

    private static ProblemException missing() {
        return new ProblemException(ProblemTypes.FORBIDDEN, "Counter agent required", 403,
                "A request at the counter names the agent who checked the customer's ID: send the agent's own token in "
                        + HEADER + ".");
    }
}
