package io.unichannel.identity.keycloak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.FederatedIdentityRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Keycloak users behind customers and staff. A customer's user carries their customer id (the
 * {@code customer_id} claim every service reads) and a link to identity-service's assertion
 * issuer, through which channel sign-ins (WeChat, one-time code, counter) reach the same user.
 * Blocking: call through {@link io.unichannel.identity.Blocking}.
 */
@ApplicationScoped
@ActivateRequestContext
public class KeycloakAccounts {

    private final Keycloak admin;
    private final RealmConfig realm;

    public KeycloakAccounts(Keycloak admin, RealmConfig realm) {
        this.admin = admin;
        this.realm = realm;
    }

    /** What a new user gets. */
    public record NewUser(String username, String email, String firstName, String lastName, String password,
            Map<String, List<String>> attributes, List<String> realmRoles) {
    }

    /** Creates the user; a taken username or email is a 409 problem. Returns the Keycloak user id. */
    public String create(NewUser user) {
        UserRepresentation rep = new UserRepresentation();
        rep.setUsername(user.username());
        rep.setEmail(user.email());
        rep.setEmailVerified(user.email() != null);
        rep.setFirstName(user.firstName());
        rep.setLastName(user.lastName());
        rep.setEnabled(true);
        rep.setAttributes(new HashMap<>(user.attributes()));
        if (user.password() != null) {
            CredentialRepresentation password = new CredentialRepresentation();
            password.setType(CredentialRepresentation.PASSWORD);
            password.setValue(user.password());
            password.setTemporary(false);
            rep.setCredentials(List.of(password));
        }
        String id;
        try (Response response = users().create(rep)) {
            if (response.getStatus() == 409) {
                throw new ProblemException(ProblemTypes.CONFLICT, "Account taken", 409,
                        "The sign-in account or e-mail '" + user.username() + "' is already in use.");
            }
            if (response.getStatus() != 201) {
                throw new IllegalStateException("Keycloak refused to create a user: HTTP " + response.getStatus());
            }
            String location = response.getLocation().getPath();
            id = location.substring(location.lastIndexOf('/') + 1);
        }
        if (!user.realmRoles().isEmpty()) {
            List<RoleRepresentation> roles = user.realmRoles().stream()
                    .map(role -> admin.realm(realm.name()).roles().get(role).toRepresentation()).toList();
            users().get(id).roles().realmLevel().add(roles);
        }
        return id;
    }

    /** Links the user to identity-service's assertions: sign-ins for {@code customerId} land on this user. */
    public void linkAssertions(String userId, String idpAlias, String customerId) {
        UserResource user = users().get(userId);
        boolean linked = user.getFederatedIdentity().stream()
                .anyMatch(f -> idpAlias.equals(f.getIdentityProvider()) && customerId.equals(f.getUserId()));
        if (linked) {
            return;
        }
        FederatedIdentityRepresentation link = new FederatedIdentityRepresentation();
        link.setIdentityProvider(idpAlias);
        link.setUserId(customerId);
        link.setUserName(customerId);
        try (Response response = user.addFederatedIdentity(idpAlias, link)) {
            if (response.getStatus() != 204 && response.getStatus() != 201 && response.getStatus() != 409) {
                throw new IllegalStateException("Keycloak refused the assertion link: HTTP " + response.getStatus());
            }
        }
    }

    /**
     * Changes a user in one read and one write: the given attributes replace those of the same
     * name; username, e-mail and enabled change when not null.
     */
    public void update(String userId, Map<String, List<String>> attributes, String username, String email, Boolean enabled) {
        UserResource user = users().get(userId);
        UserRepresentation rep = user.toRepresentation();
        Map<String, List<String>> current = rep.getAttributes() == null ? new HashMap<>() : new HashMap<>(rep.getAttributes());
        current.putAll(attributes);
        rep.setAttributes(current);
        if (username != null) {
            rep.setUsername(username);
        }
        if (email != null) {
            rep.setEmail(email);
            rep.setEmailVerified(true);
        }
        if (enabled != null) {
            rep.setEnabled(enabled);
        }
        try {
            user.update(rep);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 409) {
                throw new ProblemException(ProblemTypes.CONFLICT, "Account taken", 409,
                        "That sign-in account or e-mail is already in use.");
            }
            throw e;
        }
    }

    public void delete(String userId) {
        try (Response ignored = users().delete(userId)) {
            // best effort: used to undo a half-done registration
        }
    }

    public Optional<UserRepresentation> byUsername(String username) {
        return users().searchByUsername(username, true).stream().findFirst();
    }

    public UserRepresentation get(String userId) {
        return users().get(userId).toRepresentation();
    }

    public List<String> realmRoles(String userId) {
        return users().get(userId).roles().realmLevel().listEffective().stream().map(RoleRepresentation::getName).toList();
    }

    /** Members of a realm role (staff lists). */
    public List<UserRepresentation> withRole(String role, int first, int max) {
        return admin.realm(realm.name()).roles().get(role).getUserMembers(false, first, max);
    }

    private UsersResource users() {
        return admin.realm(realm.name()).users();
    }
}
