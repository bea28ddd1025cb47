package io.unichannel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.KeycloakTestSupport;
import io.unichannel.common.testing.Tokens;
import io.unichannel.identity.keycloak.RealmBlueprint;
import io.unichannel.identity.keycloak.RealmProvisioner;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;

/** The platform realm in a real Keycloak, as identity-service provisions it at start-up. */
@QuarkusTest
class RealmProvisioningTest {

    @Inject
    RealmProvisioner provisioner;

    @Inject
    Keycloak keycloak;

    @BeforeAll
    static void realmIsProvisionedAtStartUp() {
        KeycloakTestSupport.awaitRealm(Duration.ofSeconds(90));
    }

    @Test
    void everyChannelAndServiceHasItsClient() {
        List<String> clientIds = new ArrayList<>();
        KeycloakTestSupport.adminGet("/clients?max=500").forEach(c -> clientIds.add(c.get("clientId").asText()));
        assertThat(clientIds).contains("channel-app", "channel-web", "channel-wechat", "channel-hotline",
                "channel-sms", "channel-store", "staff-console", "identity-service", "ticket-service",
                "channel-gateway", "survey-service", "analytics-service");
    }

    @Test
    void realmRolesAndProfileAttributesExist() {
        List<String> roles = new ArrayList<>();
        KeycloakTestSupport.adminGet("/roles").forEach(r -> roles.add(r.get("name").asText()));
        assertThat(roles).contains("customer", "agent", "supervisor", "ops");

        List<String> attributes = new ArrayList<>();
        KeycloakTestSupport.adminGet("/users/profile").get("attributes")
                .forEach(a -> attributes.add(a.get("name").asText()));
        assertThat(attributes).contains("customerId", "msisdn", "wechatOpenId", "wechatUnionId", "appAccount",
                "valueTier", "region", "skills");
    }

    @Test
    void channelTokensNameEveryServiceAsAudienceAndCarryRoles() {
        var user = KeycloakTestSupport.createUser("customer");
        JsonNode claims = Tokens.claims(KeycloakTestSupport.passwordToken("channel-web", user));
        List<String> audience = new ArrayList<>();
        claims.get("aud").forEach(a -> audience.add(a.asText()));
        assertThat(audience).containsAll(RealmBlueprint.SERVICES);
        assertThat(claims.get("azp").asText()).isEqualTo("channel-web");
        assertThat(claims.at("/realm_access/roles").toString()).contains("customer");
    }

    @Test
    void provisioningAgainChangesNothing() {
        provisioner.provision(); // the start-up run may still be retrying (the HTTP port binds after start-up)
        assertThat(provisioner.provision().changes()).isEmpty();
        long appClients = KeycloakTestSupport.adminGet("/clients?clientId=channel-app").size();
        assertThat(appClients).isEqualTo(1);
    }

    @Test
    void provisioningPutsBackASettingThatDrifted() {
        var clients = keycloak.realm("unichannel").clients();
        ClientRepresentation web = clients.findByClientId("channel-web").get(0);
        web.setDirectAccessGrantsEnabled(false);
        clients.get(web.getId()).update(web);

        assertThat(provisioner.provision().changes()).containsExactly("settings of client channel-web");
        assertThat(clients.findByClientId("channel-web").get(0).isDirectAccessGrantsEnabled()).isTrue();
    }
}
