package io.unichannel.gateway.rest;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Channels;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The signed-in customer and the channel they are using, from their token. */
@RequestScoped
public class Caller {

    private final JsonWebToken token;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    /** The platform customer id (claim customer_id), or the token subject until the registry assigns one. */
    public String customerId() {
        String customerId = token.getClaim("customer_id");
        return customerId == null || customerId.isBlank() ? token.getSubject() : customerId;
    }

    public String subject() {
        return token.getSubject();
    }

    /** The customer's value tier (claim value_tier, from the registry), which selects SLA policies; never taken from the request body. */
    public String valueTier() {
        String tier = token.getClaim("value_tier");
        return io.unichannel.common.validation.Text.isValidRequired(tier, 16, false) ? tier : null;
    }

    public String region() {
        return token.getClaim("region");
    }

    /** The channel whose client the token was issued to; staff and service tokens have none. */
    public String channel() {
        return Channels.fromClientId(token.getClaim("azp")).orElseThrow(() -> new ProblemException(
                ProblemTypes.FORBIDDEN, "Not a channel token", 403,
                "Requests are submitted through a channel client (app, web, wechat, hotline, sms, store)."));
    }
}
