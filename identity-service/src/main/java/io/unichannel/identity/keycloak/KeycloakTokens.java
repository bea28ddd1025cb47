package io.unichannel.identity.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.identity.signin.AssertionSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.keycloak.admin.client.Keycloak;

/**
 * Turns "identity-service verified this customer for this channel" into a Keycloak token for that
 * channel's client: signs an RFC 7523 assertion and redeems it at the realm's token endpoint with
 * the channel client's own credentials, so the token's authorized party is the channel and its
 * subject the customer's Keycloak user, the same subject every other channel sees. Blocking.
 */
@ApplicationScoped
@ActivateRequestContext
public class KeycloakTokens {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Keycloak admin;
    private final RealmConfig realm;
    private final AssertionSigner signer;
    private final ObjectMapper json;
    private final String realmUrl;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    public KeycloakTokens(Keycloak admin, RealmConfig realm, AssertionSigner signer, ObjectMapper json,
            @ConfigProperty(name = "quarkus.keycloak.admin-client.server-url") String keycloakUrl) {
        this.admin = admin;
        this.realm = realm;
        this.signer = signer;
        this.json = json;
        this.realmUrl = keycloakUrl + "/realms/" + realm.name();
    }

    /** A token response (access_token, expires_in, token_type, scope) for the customer on the channel client. */
    public Map<String, Object> issue(String channelClientId, String customerId, String channel) {
        String assertion = signer.sign(customerId, realmUrl, channel);
        String form = "grant_type=" + encode("urn:ietf:params:oauth:grant-type:jwt-bearer")
                + "&assertion=" + encode(assertion)
                + "&scope=openid"
                + "&client_id=" + encode(channelClientId)
                + "&client_secret=" + encode(secretOf(channelClientId));
        HttpRequest request = HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                Log.errorf("Keycloak refused a sign-in assertion for client %s: HTTP %d %s", channelClientId,
                        response.statusCode(), response.body());
                if (response.statusCode() == 401) {
                    secrets.remove(channelClientId); // secret rotated since we read it
                }
                throw unavailable();
            }
            Map<String, Object> token = json.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
            token.remove("id_token");
            return token;
        } catch (IOException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    /** The channel client's secret, read once through the admin API (works with generated secrets too). */
    String secretOf(String clientId) {
        return secrets.computeIfAbsent(clientId, id -> {
            var clients = admin.realm(realm.name()).clients();
            String internalId = clients.findByClientId(id).get(0).getId();
            return clients.get(internalId).getSecret().getValue();
        });
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemTypes.SERVICE_UNAVAILABLE, "Sign-on unavailable", 503,
                "The customer was verified but the sign-on server did not issue a token; try again.");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
