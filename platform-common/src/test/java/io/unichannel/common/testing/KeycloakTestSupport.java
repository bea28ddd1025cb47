package io.unichannel.common.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.security.PlatformRealm;

/**
 * Talks to the real Keycloak the way a channel front end and an administrator would: creates
 * test users in the platform realm and signs them in to get real access tokens.
 */
public final class KeycloakTestSupport {

    /** A user created for one test. */
    public record TestUser(String id, String username, String password) {
    }

    /** A confidential test client whose tokens expire one second after issue. */
    public static final String SHORT_LIVED_CLIENT = "test-short-lived";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakTestSupport() {
    }

    /**
     * Waits until identity-service has provisioned the platform realm, which it does at start-up.
     * identity-service's tests run first in the build, so other modules find it ready.
     */
    public static void awaitRealm(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(PlatformInfra.keycloakUrl()
                    + "/realms/" + PlatformInfra.realm() + "/.well-known/openid-configuration")).GET().build());
            if (response != null && response.statusCode() == 200 && provisioned()) {
                return;
            }
            sleep(500);
        }
        throw new AssertionError("Keycloak realm '" + PlatformInfra.realm() + "' at " + PlatformInfra.keycloakUrl()
                + " is not provisioned. identity-service provisions it at start-up: run ./platform test "
                + "(it tests identity-service first) or ./platform up.");
    }

    /** Creates an enabled user with a password and the given realm roles. */
    public static TestUser createUser(String... realmRoles) {
        return createUser(Map.of(), realmRoles);
    }

    /** A member of staff of one region (token claim region), with one realm role. */
    public static TestUser createStaff(String role, String region) {
        return createUser(Map.of("region", List.of(region)), role);
    }

    /** Creates an enabled user with these user-profile attributes, a password and the given realm roles. */
    public static TestUser createUser(Map<String, List<String>> attributes, String... realmRoles) {
        String username = "test-" + UUID.randomUUID().toString().substring(0, 12);
        String password = "Pw-" + UUID.randomUUID();
        Map<String, Object> user = new java.util.LinkedHashMap<>(Map.of(
                "username", username,
                "enabled", true,
                "email", username + "@example.test",
                "emailVerified", true,
                "firstName", "Test",
                "lastName", "User",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
        if (!attributes.isEmpty()) {
            user.put("attributes", attributes);
        }
        HttpResponse<String> created = admin("POST", "/users", user);
        expect(created, 201, "create user");
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (realmRoles.length > 0) {
            List<JsonNode> roles = java.util.Arrays.stream(realmRoles)
                    .map(role -> readJson(expect(admin("GET", "/roles/" + role, null), 200, "read role " + role)))
                    .toList();
            expect(admin("POST", "/users/" + id + "/role-mappings/realm", roles), 204, "grant roles");
        }
        return new TestUser(id, username, password);
    }

    /**
     * Onboards a partner system as the operator would: a confidential client with a service account
     * holding the partner role, tokens meant for ticket-service, and (when given) the region it is
     * granted as the token claim {@code region}. Its secret is {@link #localSecret}; sign in with
     * {@link #serviceAccountToken}.
     */
    public static String createPartnerClient(String region) {
        String clientId = "partner-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> mappers = new java.util.ArrayList<>();
        mappers.add(Map.of("name", "audience-ticket-service", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.client.audience", "ticket-service",
                        "access.token.claim", "true", "id.token.claim", "false")));
        if (region != null) {
            mappers.add(Map.of("name", "granted-region", "protocol", "openid-connect",
                    "protocolMapper", "oidc-hardcoded-claim-mapper", "config", Map.of("claim.name", "region",
                            "claim.value", region, "jsonType.label", "String", "access.token.claim", "true")));
        }
        Map<String, Object> client = new java.util.LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("secret", localSecret(clientId));
        client.put("serviceAccountsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", false);
        client.put("protocolMappers", mappers);
        HttpResponse<String> created = admin("POST", "/clients", client);
        expect(created, 201, "create partner client");
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        String userId = readJson(expect(admin("GET", "/clients/" + id + "/service-account-user", null), 200,
                "read service account")).path("id").asText();
        JsonNode role = readJson(expect(admin("GET", "/roles/partner", null), 200, "read role partner"));
        expect(admin("POST", "/users/" + userId + "/role-mappings/realm", List.of(role)), 204, "grant partner role");
        return clientId;
    }

    /** Public clients (no secret); every other platform client is confidential with a local secret. */
    private static final java.util.Set<String> PUBLIC_CLIENTS = java.util.Set.of("channel-app", "staff-console", "admin-cli");

    /** The secret identity-service gives a confidential client in local runs. */
    public static String localSecret(String clientId) {
        return clientId + "-local-secret";
    }

    /** Signs a user in with username and password on a client; returns the access token. */
    public static String passwordToken(String clientId, TestUser user) {
        return passwordToken(clientId, PUBLIC_CLIENTS.contains(clientId) ? null : localSecret(clientId), user);
    }

    /** As {@link #passwordToken(String, TestUser)} with an explicit client secret (null for a public client). */
    public static String passwordToken(String clientId, String clientSecret, TestUser user) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("scope", "openid");
        form.put("username", user.username());
        form.put("password", user.password());
        try {
            return token(clientId, clientSecret, form);
        } catch (AssertionError refused) {
            if (!String.valueOf(refused.getMessage()).contains("invalid_grant") || user.id() == null) {
                throw refused;
            }
            // Keycloak 26 now and then marks a new user "temporarily disabled" by its brute-force
            // check after sign-ins in quick succession with no failed one (keycloak/keycloak#36495);
            // its own event log shows user_temporarily_disabled. Clear that state once and try again;
            // a wrong password still fails the second time.
            admin("DELETE", "/attack-detection/brute-force/users/" + user.id(), null);
            sleep(200);
            return token(clientId, clientSecret, form);
        }
    }

    /** A channel adapter's or service's own token (client credentials, local secret). */
    public static String serviceAccountToken(String clientId) {
        return token(clientId, localSecret(clientId), Map.of("grant_type", "client_credentials"));
    }

    /**
     * Standard token exchange: a confidential client trades a customer's token from another channel
     * for its own token for the same customer, without the customer signing in again.
     */
    public static String exchange(String subjectToken, String clientId) {
        return token(clientId, localSecret(clientId), Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
    }

    private static String token(String clientId, String clientSecret, Map<String, String> grant) {
        StringBuilder form = new StringBuilder("client_id=").append(encode(clientId));
        if (clientSecret != null) {
            form.append("&client_secret=").append(encode(clientSecret));
        }
        grant.forEach((name, value) -> form.append('&').append(name).append('=').append(encode(value)));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(PlatformInfra.keycloakUrl()
                        + "/realms/" + PlatformInfra.realm() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
        return readJson(expect(response, 200, grant.get("grant_type") + " grant on " + clientId)).get("access_token").asText();
    }

    /**
     * A genuine token, signed by Keycloak for the platform's services, that has already expired.
     * It comes from a test-only client whose tokens live one second.
     */
    public static String expiredToken(TestUser user) {
        ensureShortLivedClient();
        String token = passwordToken(SHORT_LIVED_CLIENT, SHORT_LIVED_CLIENT + "-secret", user);
        long expiresAt = Tokens.claims(token).get("exp").asLong();
        while (Instant.now().getEpochSecond() <= expiresAt + 1) {
            sleep(250);
        }
        return token;
    }

    /** Whether identity-service has provisioned the realm to the current blueprint, to the end. */
    private static boolean provisioned() {
        HttpResponse<String> response = admin("GET", "", null);
        if (response == null || response.statusCode() != 200) {
            return false;
        }
        JsonNode version = readJson(response).path("attributes").path(PlatformRealm.BLUEPRINT_ATTRIBUTE);
        return PlatformRealm.BLUEPRINT_VERSION.equals(version.asText(null));
    }

    /** Whether a client with this id exists in the platform realm. */
    public static boolean clientExists(String clientId) {
        HttpResponse<String> response = admin("GET", "/clients?clientId=" + encode(clientId), null);
        return response != null && response.statusCode() == 200 && readJson(response).size() > 0;
    }

    /** A GET on the platform realm's admin API, parsed as JSON. */
    public static JsonNode adminGet(String path) {
        return readJson(expect(admin("GET", path, null), 200, "GET " + path));
    }

    private static void ensureShortLivedClient() {
        if (clientExists(SHORT_LIVED_CLIENT)) {
            return;
        }
        Map<String, Object> client = Map.of(
                "clientId", SHORT_LIVED_CLIENT,
                "enabled", true,
                "publicClient", false,
                "secret", SHORT_LIVED_CLIENT + "-secret",
                "standardFlowEnabled", false,
                "directAccessGrantsEnabled", true,
                "attributes", Map.of("access.token.lifespan", "1"),
                "defaultClientScopes", List.of("basic", "profile", "roles", "platform-services", "platform-claims"));
        HttpResponse<String> response = admin("POST", "/clients", client);
        if (response.statusCode() != 409) {
            expect(response, 201, "create short-lived test client");
        }
    }

    private static HttpResponse<String> admin(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(PlatformInfra.keycloakUrl() + "/admin/realms/"
                        + PlatformInfra.realm() + path))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(writeJson(body)));
        return send(request.build());
    }

    private static String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=" + encode(PlatformInfra.keycloakAdminUser())
                + "&password=" + encode(PlatformInfra.keycloakAdminPassword());
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(PlatformInfra.keycloakUrl()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        return readJson(expect(response, 200, "Keycloak admin sign-in")).get("access_token").asText();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("Keycloak at " + PlatformInfra.keycloakUrl() + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static JsonNode readJson(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static String writeJson(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
