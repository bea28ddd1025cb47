package io.unichannel.identity.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.logging.Log;
import io.unichannel.common.security.Channels;
import io.unichannel.common.security.PlatformRealm;
import io.unichannel.common.security.Roles;
import io.unichannel.identity.signin.SignInConfig;
import io.unichannel.identity.signin.SigningKeys;
import io.unichannel.identity.keycloak.RealmBlueprint.Attribute;
import io.unichannel.identity.keycloak.RealmBlueprint.ClientSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientScopeResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;

/**
 * Makes the Keycloak platform realm match {@link RealmBlueprint}: creates what is missing and
 * puts back settings that drifted. Running it again changes nothing; it never rotates secrets.
 */
@ApplicationScoped
public class RealmProvisioner {

    private static final String OIDC = "openid-connect";
    private static final Set<String> ADMIN_ONLY = Set.of("admin");

    private final Keycloak keycloak;
    private final RealmConfig config;
    private final SigningKeys signingKeys;
    private final String assertionIssuer;
    private final java.util.Optional<String> configuredJwksUrl;
    private final ObjectMapper json;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RealmProvisioner(Keycloak keycloak, RealmConfig config, SigningKeys signingKeys, SignInConfig signIn,
            ObjectMapper json) {
        this.keycloak = keycloak;
        this.config = config;
        this.signingKeys = signingKeys;
        this.assertionIssuer = signIn.issuer();
        this.configuredJwksUrl = signIn.keys().jwksUrl();
        this.json = json;
    }

    /** What one provisioning run changed; empty when the realm already matched. */
    public record Report(List<String> changes) {
        public boolean changedNothing() {
            return changes.isEmpty();
        }
    }

    /** Runs on a background thread; the admin client is request-scoped, hence the context. */
    @ActivateRequestContext
    public synchronized Report provision() {
        List<String> changes = new ArrayList<>();
        RealmResource realm = ensureRealm(changes);
        ensureRoles(realm, changes);
        ensureUserProfile(realm, changes);
        String servicesScope = ensureClientScope(realm, RealmBlueprint.SERVICES_SCOPE,
                "Adds the platform services to the token audience", audienceMappers(), changes);
        String claimsScope = ensureClientScope(realm, RealmBlueprint.CLAIMS_SCOPE,
                "Customer id, value tier, region and skills as token claims", attributeMappers(), changes);
        String channelsScope = ensureClientScope(realm, RealmBlueprint.CHANNELS_SCOPE,
                "Adds the channel clients to the token audience (token exchange between channels)",
                channelAudienceMappers(), changes);
        ensureAssertionIssuer(realm, changes);
        for (ClientSpec spec : RealmBlueprint.allClients()) {
            List<String> scopes = Channels.fromClientId(spec.clientId()).isPresent()
                    ? List.of(servicesScope, claimsScope, channelsScope) : List.of(servicesScope, claimsScope);
            ensureClient(realm, spec, scopes, changes);
        }
        ensureAdapterRoles(realm, changes);
        markProvisioned(realm, changes);
        Log.infof("Realm '%s' provisioned: %s", config.name(),
                changes.isEmpty() ? "already up to date" : String.join(", ", changes));
        return new Report(List.copyOf(changes));
    }

    private RealmResource ensureRealm(List<String> changes) {
        RealmResource realm = keycloak.realm(config.name());
        try {
            realm.toRepresentation();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() != 404) {
                throw e;
            }
            RealmRepresentation rep = new RealmRepresentation();
            rep.setRealm(config.name());
            rep.setDisplayName("Unified channel service platform");
            rep.setEnabled(true);
            rep.setRegistrationAllowed(false);
            // Five failed sign-ins lock the account for a while: protects service passwords too.
            rep.setBruteForceProtected(true);
            rep.setFailureFactor(5);
            rep.setAccessTokenLifespan(300);
            rep.setSsoSessionIdleTimeout(1800);
            rep.setInternationalizationEnabled(true);
            rep.setSupportedLocales(Set.of("zh-CN", "en"));
            rep.setDefaultLocale("zh-CN");
            keycloak.realms().create(rep);
            changes.add("realm " + config.name());
        }
        return realm;
    }

    /**
     * Keycloak trusts identity-service's sign-in assertions through a JWT-authorization-grant
     * identity provider that reads identity-service's keys from its JWKS, so keys rotate without
     * touching the realm. A JWKS address already configured that serves the key this replica signs
     * with is left alone (another replica or deployment sharing the keys set it); one that does not
     * answer or does not know the key is replaced by this replica's.
     */
    private void ensureAssertionIssuer(RealmResource realm, List<String> changes) {
        String alias = RealmBlueprint.ASSERTION_IDP;
        IdentityProviderRepresentation existing = null;
        try {
            existing = realm.identityProviders().get(alias).toRepresentation();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() != 404) {
                throw e;
            }
        }
        String kid = signingKeys.current().kid();
        String configured = existing == null || existing.getConfig() == null ? null : existing.getConfig().get("jwksUrl");
        String jwksUrl = configured != null && servesKey(configured, kid) ? configured : ownJwksUrl();
        Map<String, String> wanted = Map.of(
                "issuer", assertionIssuer,
                "useJwksUrl", "true",
                "jwksUrl", jwksUrl);
        if (existing == null) {
            IdentityProviderRepresentation rep = new IdentityProviderRepresentation();
            rep.setAlias(alias);
            rep.setDisplayName("identity-service sign-in assertions");
            rep.setProviderId("jwt-authorization-grant");
            rep.setEnabled(true);
            rep.setConfig(new HashMap<>(wanted));
            try (Response response = realm.identityProviders().create(rep)) {
                expectCreated(response, "identity provider " + alias);
            }
            changes.add("identity provider " + alias);
            return;
        }
        Map<String, String> current = existing.getConfig() == null ? new HashMap<>() : new HashMap<>(existing.getConfig());
        boolean drifted = !existing.isEnabled() || current.containsKey("publicKeySignatureVerifier")
                || wanted.entrySet().stream().anyMatch(e -> !e.getValue().equals(current.get(e.getKey())));
        if (drifted) {
            current.putAll(wanted);
            // Keys come from the JWKS only: no single pinned key that a rotation would leave behind.
            current.remove("publicKeySignatureVerifier");
            current.remove("publicKeySignatureVerifierKeyId");
            existing.setConfig(current);
            existing.setEnabled(true);
            realm.identityProviders().get(alias).update(existing);
            changes.add("settings of identity provider " + alias + " (keys from " + jwksUrl + ")");
        }
    }

    /** Checked periodically: Keycloak's JWKS address still answers with the key this replica signs with. */
    @ActivateRequestContext
    public synchronized List<String> ensureAssertionKeys() {
        List<String> changes = new ArrayList<>();
        ensureAssertionIssuer(keycloak.realm(config.name()), changes);
        if (!changes.isEmpty()) {
            Log.infof("Realm '%s': %s", config.name(), String.join(", ", changes));
        }
        return changes;
    }

    /** The configured JWKS address, or this replica's own once its HTTP port is bound (random in tests). */
    private String ownJwksUrl() {
        if (configuredJwksUrl.isPresent()) {
            return configuredJwksUrl.get();
        }
        String property = io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.TEST
                ? "quarkus.http.test-port" : "quarkus.http.port";
        String port = System.getProperty(property, org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue(property, String.class).orElse("0"));
        if ("0".equals(port)) {
            throw new IllegalStateException("the HTTP port is not bound yet");
        }
        return "http://127.0.0.1:" + port + "/api/v1/sign-in/jwks.json";
    }

    private boolean servesKey(String url, String kid) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            for (JsonNode key : json.readTree(response.body()).path("keys")) {
                if (kid.equals(key.path("kid").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Last step: records the blueprint version, which tells waiting parties the realm is complete. */
    private void markProvisioned(RealmResource realm, List<String> changes) {
        RealmRepresentation rep = realm.toRepresentation();
        Map<String, String> attributes = rep.getAttributes() == null ? new HashMap<>() : new HashMap<>(rep.getAttributes());
        if (!PlatformRealm.BLUEPRINT_VERSION.equals(attributes.get(PlatformRealm.BLUEPRINT_ATTRIBUTE))) {
            attributes.put(PlatformRealm.BLUEPRINT_ATTRIBUTE, PlatformRealm.BLUEPRINT_VERSION);
            RealmRepresentation update = new RealmRepresentation();
            update.setAttributes(attributes);
            realm.update(update);
            changes.add("blueprint version " + PlatformRealm.BLUEPRINT_VERSION);
        }
    }

    /** The channel adapters' service accounts hold the channel-adapter role. */
    private void ensureAdapterRoles(RealmResource realm, List<String> changes) {
        RoleRepresentation role = realm.roles().get(Roles.CHANNEL_ADAPTER).toRepresentation();
        for (String clientId : RealmBlueprint.ADAPTER_ACCOUNTS) {
            List<ClientRepresentation> found = realm.clients().findByClientId(clientId);
            if (found.isEmpty()) {
                continue;
            }
            String userId = realm.clients().get(found.get(0).getId()).getServiceAccountUser().getId();
            var roles = realm.users().get(userId).roles().realmLevel();
            if (roles.listAll().stream().noneMatch(r -> Roles.CHANNEL_ADAPTER.equals(r.getName()))) {
                roles.add(List.of(role));
                changes.add("role " + Roles.CHANNEL_ADAPTER + " of " + clientId);
            }
        }
    }

    private void ensureRoles(RealmResource realm, List<String> changes) {
        Set<String> existing = new java.util.HashSet<>();
        realm.roles().list().forEach(role -> existing.add(role.getName()));
        RealmBlueprint.ROLES.forEach((name, description) -> {
            if (!existing.contains(name)) {
                realm.roles().create(new RoleRepresentation(name, description, false));
                changes.add("role " + name);
            }
        });
    }

    private void ensureUserProfile(RealmResource realm, List<String> changes) {
        UPConfig profile = realm.users().userProfile().getConfiguration();
        boolean changed = false;
        for (Attribute attribute : RealmBlueprint.ATTRIBUTES) {
            if (profile.getAttribute(attribute.name()) == null) {
                UPAttribute up = new UPAttribute(attribute.name());
                up.setDisplayName(attribute.displayName());
                up.setMultivalued(attribute.multivalued());
                // Only administrators (identity-service) set these; a customer cannot edit their own MSISDN.
                up.setPermissions(new UPAttributePermissions(ADMIN_ONLY, ADMIN_ONLY));
                profile.addOrReplaceAttribute(up);
                changes.add("user attribute " + attribute.name());
                changed = true;
            }
        }
        // Many customers have only a phone number: e-mail and a family name are optional.
        for (String optional : List.of("email", "firstName", "lastName")) {
            UPAttribute attribute = profile.getAttribute(optional);
            if (attribute != null && attribute.getRequired() != null) {
                attribute.setRequired(null);
                changes.add("optional user attribute " + optional);
                changed = true;
            }
        }
        if (changed) {
            realm.users().userProfile().update(profile);
        }
    }

    private String ensureClientScope(RealmResource realm, String name, String description,
            List<ProtocolMapperRepresentation> mappers, List<String> changes) {
        Optional<ClientScopeRepresentation> found = findScope(realm, name);
        if (found.isEmpty()) {
            ClientScopeRepresentation rep = new ClientScopeRepresentation();
            rep.setName(name);
            rep.setDescription(description);
            rep.setProtocol(OIDC);
            rep.setAttributes(Map.of("include.in.token.scope", "false", "display.on.consent.screen", "false"));
            try (Response response = realm.clientScopes().create(rep)) {
                expectCreated(response, "client scope " + name);
            }
            changes.add("client scope " + name);
            found = findScope(realm, name);
        }
        String id = found.orElseThrow().getId();
        ClientScopeResource scope = realm.clientScopes().get(id);
        Set<String> present = new java.util.HashSet<>();
        scope.getProtocolMappers().getMappers().forEach(m -> present.add(m.getName()));
        for (ProtocolMapperRepresentation mapper : mappers) {
            if (!present.contains(mapper.getName())) {
                try (Response response = scope.getProtocolMappers().createMapper(mapper)) {
                    expectCreated(response, "mapper " + mapper.getName());
                }
                changes.add("mapper " + name + "/" + mapper.getName());
            }
        }
        return id;
    }

    private void ensureClient(RealmResource realm, ClientSpec spec, List<String> scopeIds, List<String> changes) {
        List<ClientRepresentation> found = realm.clients().findByClientId(spec.clientId());
        ClientRepresentation rep = found.isEmpty() ? new ClientRepresentation() : found.get(0);
        boolean becameConfidential = !found.isEmpty() && Boolean.TRUE.equals(rep.isPublicClient()) && !spec.publicClient();
        boolean drifted = applySpec(rep, spec);
        String id;
        if ((found.isEmpty() || becameConfidential) && !spec.publicClient() && config.localClientSecrets()) {
            rep.setSecret(spec.clientId() + "-local-secret");
        }
        if (found.isEmpty()) {
            try (Response response = realm.clients().create(rep)) {
                expectCreated(response, "client " + spec.clientId());
            }
            changes.add("client " + spec.clientId());
            id = realm.clients().findByClientId(spec.clientId()).get(0).getId();
        } else {
            id = rep.getId();
            if (drifted) {
                realm.clients().get(id).update(rep);
                if (becameConfidential && rep.getSecret() != null) {
                    // Keycloak generates a secret when a client turns confidential; put the local one back.
                    ClientRepresentation again = realm.clients().get(id).toRepresentation();
                    again.setSecret(rep.getSecret());
                    realm.clients().get(id).update(again);
                }
                changes.add("settings of client " + spec.clientId());
            }
        }
        Set<String> attached = new java.util.HashSet<>();
        realm.clients().get(id).getDefaultClientScopes().forEach(s -> attached.add(s.getId()));
        List<String> missing = scopeIds.stream().filter(scopeId -> !attached.contains(scopeId)).toList();
        missing.forEach(scopeId -> realm.clients().get(id).addDefaultClientScope(scopeId));
        if (!missing.isEmpty()) {
            changes.add("scopes of client " + spec.clientId());
        }
    }

    /** Sets the declared settings on a client; tells whether any of them differed. */
    private boolean applySpec(ClientRepresentation rep, ClientSpec spec) {
        boolean browser = spec.browserLogin();
        List<String> redirects = browser ? config.redirectUris() : List.of();
        Map<String, String> attributes = new HashMap<>(rep.getAttributes() == null ? Map.of() : rep.getAttributes());
        Map<String, String> wanted = new HashMap<>();
        wanted.put("pkce.code.challenge.method", browser ? "S256" : "");
        // Lets a customer's token from one channel be exchanged for another channel's token.
        wanted.put("standard.token.exchange.enabled", "true");
        // Channel adapters redeem identity-service's sign-in assertions (RFC 7523) for customer tokens.
        boolean assertions = RealmBlueprint.ASSERTION_CLIENTS.contains(spec.clientId());
        wanted.put("oauth2.jwt.authorization.grant.enabled", String.valueOf(assertions));
        wanted.put("oauth2.jwt.authorization.grant.idp", assertions ? RealmBlueprint.ASSERTION_IDP : "");
        boolean drifted = !Boolean.TRUE.equals(rep.isEnabled())
                || !java.util.Objects.equals(rep.isPublicClient(), spec.publicClient())
                || !java.util.Objects.equals(rep.isDirectAccessGrantsEnabled(), spec.passwordLogin())
                || !java.util.Objects.equals(rep.isStandardFlowEnabled(), browser)
                || !java.util.Objects.equals(rep.isServiceAccountsEnabled(), spec.serviceAccount())
                || !java.util.Objects.equals(rep.getRedirectUris() == null ? List.of() : rep.getRedirectUris(), redirects)
                || wanted.entrySet().stream().anyMatch(e -> !e.getValue().equals(attributes.getOrDefault(e.getKey(), "")));
        attributes.putAll(wanted);
        rep.setClientId(spec.clientId());
        rep.setName(spec.name());
        rep.setProtocol(OIDC);
        rep.setEnabled(true);
        rep.setPublicClient(spec.publicClient());
        rep.setDirectAccessGrantsEnabled(spec.passwordLogin());
        rep.setStandardFlowEnabled(browser);
        rep.setImplicitFlowEnabled(false);
        rep.setServiceAccountsEnabled(spec.serviceAccount());
        rep.setRedirectUris(redirects);
        rep.setWebOrigins(browser ? List.of("+") : List.of());
        rep.setAttributes(attributes);
        return drifted;
    }

    private static List<ProtocolMapperRepresentation> audienceMappers() {
        return RealmBlueprint.SERVICES.stream().map(service -> mapper("audience-" + service, "oidc-audience-mapper",
                Map.of("included.client.audience", service, "access.token.claim", "true",
                        "introspection.token.claim", "true", "id.token.claim", "false"))).toList();
    }

    private static List<ProtocolMapperRepresentation> channelAudienceMappers() {
        return Channels.ALL.stream().map(Channels::clientId).map(client -> mapper("audience-" + client,
                "oidc-audience-mapper", Map.of("included.client.audience", client, "access.token.claim", "true",
                        "introspection.token.claim", "true", "id.token.claim", "false"))).toList();
    }

    private static List<ProtocolMapperRepresentation> attributeMappers() {
        return RealmBlueprint.ATTRIBUTES.stream().filter(a -> a.tokenClaim() != null)
                .map(a -> mapper(a.tokenClaim(), "oidc-usermodel-attribute-mapper", Map.of(
                        "user.attribute", a.name(), "claim.name", a.tokenClaim(), "jsonType.label", "String",
                        "multivalued", String.valueOf(a.multivalued()), "access.token.claim", "true",
                        "id.token.claim", "true", "userinfo.token.claim", "true", "introspection.token.claim", "true")))
                .toList();
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol(OIDC);
        mapper.setProtocolMapper(type);
        mapper.setConfig(new HashMap<>(config));
        return mapper;
    }

    private static Optional<ClientScopeRepresentation> findScope(RealmResource realm, String name) {
        return realm.clientScopes().findAll().stream().filter(s -> name.equals(s.getName())).findFirst();
    }

    private static void expectCreated(Response response, String what) {
        // 409: another replica created it a moment ago; that is the state we want.
        if (response.getStatus() != 201 && response.getStatus() != 409) {
            throw new IllegalStateException("Keycloak refused to create " + what + ": HTTP " + response.getStatus());
        }
    }
}
