package io.unichannel.ticket;

import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.common.security.Roles;
import io.unichannel.common.validation.Text;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Which tickets a member of staff may see and change: ops everything; agents and supervisors the
 * tickets of their region (token claim {@code region}) and those assigned to them. Staff without a
 * region see only their own assignments. Applied inside every query (lists, counts, reads,
 * changes, reports), so what is out of scope is never loaded, counted or told apart from what
 * does not exist.
 *
 * @param everything true for ops
 * @param region     the staff member's region, null when they have none
 * @param staffId    their user name, as tickets name assignees
 */
public record StaffScope(boolean everything, String region, String staffId, boolean partner) {

    public static final StaffScope ALL = new StaffScope(true, null, null, false);

    public StaffScope(boolean everything, String region, String staffId) {
        this(everything, region, staffId, false);
    }

    /** The scope of the caller: their roles as Quarkus maps them from the token, their region and name from its claims. */
    public static StaffScope of(SecurityIdentity identity) {
        if (identity.hasRole(Roles.OPS)) {
            return ALL;
        }
        if (identity.hasRole(Roles.PARTNER) && identity.getPrincipal() instanceof JsonWebToken partnerToken) {
            return partner(partnerToken);
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return new StaffScope(false, null, identity.getPrincipal().getName());
        }
        String region = token.getClaim("region");
        String username = token.getClaim("preferred_username");
        return new StaffScope(false, Text.isValidRequired(region, 64, false) ? region : null,
                username != null ? username : token.getSubject());
    }

    /**
     * A partner system's scope: the tickets it reported (opened through the API) and, when its
     * service account is granted a region, the tickets of that region. It is named by its client id.
     */
    public static StaffScope partner(JsonWebToken token) {
        String region = token.getClaim("region");
        String clientId = token.getClaim("azp");
        return new StaffScope(false, Text.isValidRequired(region, 64, false) ? region : null,
                clientId != null ? clientId : token.getSubject(), true);
    }

    /** The tickets a partner opened, and no others: what it may change. */
    public static StaffScope reportedBy(String clientId) {
        return new StaffScope(false, null, clientId, true);
    }

    /** The JPQL condition (on alias-less TroubleTicket attributes) and its parameters' names: scopeRegion, scopeStaff. */
    public String condition() {
        if (everything) {
            return "1 = 1";
        }
        String own = partner ? "reporter = :scopeStaff" : "assignee = :scopeStaff";
        return region != null ? "(region = :scopeRegion or " + own + ")" : own;
    }
}
