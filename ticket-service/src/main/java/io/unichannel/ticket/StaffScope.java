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
public record StaffScope(boolean everything, String region, String staffId) {

    public static final StaffScope ALL = new StaffScope(true, null, null);

    /** The scope of the caller: their roles as Quarkus maps them from the token, their region and name from its claims. */
    public static StaffScope of(SecurityIdentity identity) {
        if (identity.hasRole(Roles.OPS)) {
            return ALL;
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return new StaffScope(false, null, identity.getPrincipal().getName());
        }
        String region = token.getClaim("region");
        String username = token.getClaim("preferred_username");
        return new StaffScope(false, Text.isValidRequired(region, 64, false) ? region : null,
                username != null ? username : token.getSubject());
    }

    /** The JPQL condition (on alias-less TroubleTicket attributes) and its parameters' names: scopeRegion, scopeStaff. */
    public String condition() {
        if (everything) {
            return "1 = 1";
        }
        return region != null ? "(region = :scopeRegion or assignee = :scopeStaff)" : "assignee = :scopeStaff";
    }
}
