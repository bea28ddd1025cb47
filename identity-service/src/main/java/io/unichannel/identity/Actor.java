package io.unichannel.identity;

import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.common.security.Channels;
import io.unichannel.common.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from their token: subject, display name, roles, the client (channel) they came
 * through and, for a customer, their customer id.
 */
public record Actor(String subject, String name, Set<String> roles, String clientId, String customerId, String region) {

    public static Actor of(SecurityIdentity identity) {
        JsonWebToken token = (JsonWebToken) identity.getPrincipal();
        String name = token.getClaim("preferred_username");
        Object region = token.getClaim("region");
        return new Actor(token.getSubject(), name, identity.getRoles(), token.getClaim("azp"), token.getClaim("customer_id"),
                region == null ? null : region.toString());
    }

    /**
     * Whether this member of staff may see a customer record of {@code customerRegion}: ops every
     * record; agents and supervisors those of their own region and those no region has claimed
     * yet (a record registered without one must stay reachable to be put right).
     */
    public boolean staffMaySee(String customerRegion) {
        if (roles.contains(Roles.OPS)) {
            return true;
        }
        return customerRegion == null || customerRegion.isBlank() || customerRegion.equals(region);
    }

    public boolean staff() {
        return roles.contains(Roles.AGENT) || roles.contains(Roles.SUPERVISOR) || roles.contains(Roles.OPS);
    }

    public boolean adapter() {
        return roles.contains(Roles.CHANNEL_ADAPTER);
    }

    public boolean customer() {
        return customerId != null && roles.contains(Roles.CUSTOMER);
    }

    /** The channel the caller acts on, if they came through a channel client. */
    public String channel() {
        return Channels.fromClientId(clientId).orElse(null);
    }

    /** How audit records name the caller: subject, or a service account's client. */
    public String auditName() {
        return name != null ? name : clientId;
    }
}
