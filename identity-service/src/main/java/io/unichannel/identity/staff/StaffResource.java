package io.unichannel.identity.staff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.Actor;
import io.unichannel.identity.keycloak.KeycloakAccounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Staff administration: agents (skills, region, seniority), supervisors and ops. Staff are
 * Keycloak users with a realm role; their skills and region travel in their tokens so routing
 * and region scoping need no lookup. Ops manage everyone; supervisors manage agents.
 */
@Path("/api/v1/staff")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Staff", description = "Agents, supervisors and ops")
@RolesAllowed({Roles.OPS, Roles.SUPERVISOR})
public class StaffResource {

    private static final List<String> STAFF_ROLES = List.of(Roles.AGENT, Roles.SUPERVISOR, Roles.OPS);

    private final KeycloakAccounts accounts;
    private final SecurityIdentity identity;

    public StaffResource(KeycloakAccounts accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    public record NewStaff(
            @NotBlank @Pattern(regexp = "^[a-z0-9._-]{3,64}$", message = "lower-case letters, digits, . _ -") String username,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Pattern(regexp = "agent|supervisor|ops") String role,
            @Size(max = 64) String region,
            List<@Pattern(regexp = "^[a-z0-9-]{2,40}$") String> skills,
            @Pattern(regexp = "junior|senior|expert") String seniority,
            @Pattern(regexp = "^[a-z0-9-]{2,64}$") String department,
            @Size(max = 254) String email,
            @NotBlank @Size(min = 8, max = 128) String password,
            @Pattern(regexp = MOBILE, message = "must be a mainland mobile number (11 digits from 1)") String mobile,
            @Pattern(regexp = NOTICE_CHANNELS, message = "must be desk or sms") String noticeChannel) {

        /** A staff member as the seed file and older clients give them: no mobile, notices on the desk. */
        public NewStaff(String username, String name, String role, String region, List<String> skills, String seniority,
                String department, String email, String password) {
            this(username, name, role, region, skills, seniority, department, email, password, null, null);
        }
    }

    /** A mainland mobile number, where SLA notices reach a staff member who asks for them by text. */
    static final String MOBILE = "^1\\d{10}$";
    /** Where a staff member's notices go besides the desk: desk (only there) or sms (a text to their mobile too). */
    static final String NOTICE_CHANNELS = "desk|sms";

    public record StaffChange(@Size(max = 64) String region, List<@Pattern(regexp = "^[a-z0-9-]{2,40}$") String> skills,
            @Pattern(regexp = "junior|senior|expert") String seniority, @Pattern(regexp = "^[a-z0-9-]{2,64}$") String department,
            Boolean enabled,
            @Pattern(regexp = MOBILE, message = "must be a mainland mobile number (11 digits from 1)") String mobile,
            @Pattern(regexp = NOTICE_CHANNELS, message = "must be desk or sms") String noticeChannel) {
    }

    /** A staff member; their mobile masked. */
    public record StaffView(String id, String username, String name, String role, String region, List<String> skills,
            String seniority, String department, boolean enabled, String mobile, String noticeChannel) {
    }

    @POST
    @Operation(summary = "Add a staff member")
    public Response create(@Valid @NotNull NewStaff body) {
        requireMayManage(body.role());
        StaffView created = create(accounts, body);
        Log.infof("Staff %s (%s) added by %s", body.username(), body.role(), Actor.of(identity).auditName());
        return Response.status(201).header("Location", "/api/v1/staff/" + body.username()).entity(created).build();
    }

    /** Also used by the seed file. */
    public static StaffView create(KeycloakAccounts accounts, NewStaff body) {
        Map<String, List<String>> attributes = new HashMap<>();
        if (body.region() != null) {
            attributes.put("region", List.of(body.region()));
        }
        if (body.skills() != null && !body.skills().isEmpty()) {
            attributes.put("skills", List.copyOf(body.skills()));
        }
        if (body.seniority() != null) {
            attributes.put("seniority", List.of(body.seniority()));
        }
        if (body.department() != null) {
            attributes.put("department", List.of(body.department()));
        }
        if (body.mobile() != null) {
            attributes.put("mobile", List.of(body.mobile()));
        }
        if (body.noticeChannel() != null) {
            attributes.put("noticeChannel", List.of(body.noticeChannel()));
        }
        requireMobileForTexts(body.noticeChannel(), body.mobile());
        String[] names = body.name().trim().split("\\s+", 2);
        String id = accounts.create(new KeycloakAccounts.NewUser(body.username(), body.email(), names[0],
                names.length > 1 ? names[1] : null, body.password(), attributes, List.of(body.role())));
        return view(accounts, accounts.get(id));
    }

    @GET
    @Operation(summary = "Staff with a role (agent, supervisor or ops)")
    public List<StaffView> list(@QueryParam("role") String role, @QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        String wanted = role == null ? Roles.AGENT : role;
        if (!STAFF_ROLES.contains(wanted)) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Unknown role", 400, "role must be agent, supervisor or ops.");
        }
        int from = first == null ? 0 : Math.max(0, first);
        int size = max == null ? 100 : Math.min(Math.max(1, max), 500);
        List<StaffView> staff = new ArrayList<>();
        for (UserRepresentation user : accounts.withRole(wanted, from, size)) {
            staff.add(view(wanted, user));
        }
        return staff;
    }

    @GET
    @Path("/{username}")
    @Operation(summary = "One staff member")
    public StaffView get(@PathParam("username") String username) {
        return view(accounts, find(username));
    }

    @PUT
    @Path("/{username}")
    @Operation(summary = "Change region, skills, seniority, department or disable a staff member")
    public StaffView change(@PathParam("username") String username, @Valid @NotNull StaffChange body) {
        UserRepresentation user = find(username);
        StaffView before = view(accounts, user);
        requireMayManage(before.role());
        Map<String, List<String>> attributes = new HashMap<>();
        if (body.region() != null) {
            attributes.put("region", List.of(body.region()));
        }
        if (body.seniority() != null) {
            attributes.put("seniority", List.of(body.seniority()));
        }
        if (body.department() != null) {
            attributes.put("department", List.of(body.department()));
        }
        if (body.skills() != null) {
            attributes.put("skills", List.copyOf(body.skills()));
        }
        if (body.mobile() != null) {
            attributes.put("mobile", List.of(body.mobile()));
        }
        if (body.noticeChannel() != null) {
            attributes.put("noticeChannel", List.of(body.noticeChannel()));
        }
        Map<String, List<String>> held = user.getAttributes() == null ? Map.of() : user.getAttributes();
        requireMobileForTexts(body.noticeChannel() != null ? body.noticeChannel() : first(held.get("noticeChannel")),
                body.mobile() != null ? body.mobile() : first(held.get("mobile")));
        accounts.update(user.getId(), attributes, null, null, body.enabled());
        Log.infof("Staff %s changed by %s", username, Actor.of(identity).auditName());
        return view(accounts, accounts.get(user.getId()));
    }

    /** Notices by text need a number to text. */
    private static void requireMobileForTexts(String noticeChannel, String mobile) {
        if ("sms".equals(noticeChannel) && mobile == null) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Mobile required", 400,
                    "Notices by text (noticeChannel sms) need the staff member's mobile.");
        }
    }

    private UserRepresentation find(String username) {
        UserRepresentation user = accounts.byUsername(username).orElseThrow(this::notFound);
        if (accounts.realmRoles(user.getId()).stream().noneMatch(STAFF_ROLES::contains)) {
            throw notFound();
        }
        return user;
    }

    private void requireMayManage(String role) {
        if (!identity.hasRole(Roles.OPS) && !Roles.AGENT.equals(role)) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Forbidden", 403, "Supervisors manage agents only.");
        }
    }

    private ProblemException notFound() {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Staff not found", 404, "There is no such staff member.");
    }

    private static StaffView view(KeycloakAccounts accounts, UserRepresentation user) {
        List<String> roles = accounts.realmRoles(user.getId());
        String role = STAFF_ROLES.stream().filter(roles::contains).reduce((a, b) -> b).orElse(null);
        return view(role, user);
    }

    private static StaffView view(String role, UserRepresentation user) {
        Map<String, List<String>> a = user.getAttributes() == null ? Map.of() : user.getAttributes();
        String name = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
                + (user.getLastName() == null ? "" : user.getLastName())).trim();
        return new StaffView(user.getId(), user.getUsername(), name, role, first(a.get("region")),
                a.getOrDefault("skills", List.of()), first(a.get("seniority")), first(a.get("department")), Boolean.TRUE.equals(user.isEnabled()),
                first(a.get("mobile")) == null ? null : io.unichannel.common.privacy.Masking.msisdn(first(a.get("mobile"))),
                first(a.get("noticeChannel")) == null ? "desk" : first(a.get("noticeChannel")));
    }

    static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
