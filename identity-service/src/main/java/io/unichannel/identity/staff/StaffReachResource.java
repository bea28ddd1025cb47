package io.unichannel.identity.staff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.representations.idm.UserRepresentation;

import io.unichannel.common.privacy.SealedSecrets;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.keycloak.KeycloakAccounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Who a staff notice reaches beyond the desk, for the channel adapters that deliver it: the people
 * a notice names (a user name, or {@code supervisors:<region>} for a region's supervisors, {@code
 * supervisors:all} for every supervisor) who asked for their notices by text, with their mobile
 * sealed under the notification seal key (opened only by the sender, right before sending).
 * People who read their notices on the desk only, disabled accounts and unknown names reach nobody.
 */
@Path("/api/v1/staff-reach")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CHANNEL_ADAPTER)
@Tag(name = "Staff", description = "Agents, supervisors and ops")
public class StaffReachResource {

    private static final Set<String> STAFF_ROLES = Set.of(Roles.AGENT, Roles.SUPERVISOR, Roles.OPS);
    private static final int MOST = 200;

    /** One person a notice reaches: by text, to the sealed number. */
    public record Reach(String username, String noticeChannel, String msisdnSealed) {
    }

    private final KeycloakAccounts accounts;
    private final SealedSecrets seal;

    public StaffReachResource(KeycloakAccounts accounts,
            @ConfigProperty(name = "platform.notification-seal-key") String sealKey) {
        this.accounts = accounts;
        this.seal = new SealedSecrets(sealKey);
    }

    @GET
    @Operation(summary = "The people a staff notice addressed to 'to' reaches by text (user name, supervisors:<region>, "
            + "supervisors:all); mobiles sealed")
    public List<Reach> reach(@QueryParam("to") String to) {
        if (to == null || !to.matches("[A-Za-z0-9._:@-]{1,80}")) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid request", 400,
                    "to names a user name, supervisors:<region> or supervisors:all (at most 80 characters).");
        }
        List<UserRepresentation> people = new ArrayList<>();
        if (to.startsWith("supervisors:")) {
            String region = to.substring("supervisors:".length());
            for (UserRepresentation user : accounts.withRole(Roles.SUPERVISOR, 0, MOST)) {
                if ("all".equals(region) || region.equals(StaffResource.first(attributes(user).get("region")))) {
                    people.add(user);
                }
            }
        } else {
            accounts.byUsername(to).filter(user -> accounts.realmRoles(user.getId()).stream().anyMatch(STAFF_ROLES::contains))
                    .ifPresent(people::add);
        }
        List<Reach> reach = new ArrayList<>();
        for (UserRepresentation user : people) {
            Map<String, List<String>> a = attributes(user);
            String mobile = StaffResource.first(a.get("mobile"));
            if (Boolean.TRUE.equals(user.isEnabled()) && "sms".equals(StaffResource.first(a.get("noticeChannel")))
                    && mobile != null && mobile.matches("1\\d{10}")) {
                reach.add(new Reach(user.getUsername(), "sms", seal.seal(mobile)));
            }
        }
        return reach;
    }

    private static Map<String, List<String>> attributes(UserRepresentation user) {
        return user.getAttributes() == null ? Map.of() : user.getAttributes();
    }
}
