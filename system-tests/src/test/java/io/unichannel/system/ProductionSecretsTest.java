package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.unichannel.common.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * Fail closed: in the production profile (what a container runs) a service with a local default
 * secret exits with a message naming every secret still to set, and only those.
 */
class ProductionSecretsTest {

    @Test
    void aProductionServiceWithALocalDefaultSecretRefusesToStart() throws Exception {
        ServiceProcess gateway = ServiceProcess.of("channel-gateway", Map.of("QUARKUS_PROFILE", "prod", "DB_NAME", "gateway_scale"));
        ServiceProcess identity = ServiceProcess.of("identity-service", Map.of("QUARKUS_PROFILE", "prod", "DB_NAME", "identity_e2e",
                "NOTIFICATION_SEAL_KEY", "a-deployment-secret-0123456789abcdef"));
        // A service holds only the secrets it uses: ticket-service is asked for its database password, the
        // key sealing the hub's subscription secrets, the OSS's signing secret, the agent desk's client secret
        // and session key alone.
        ServiceProcess tickets = ServiceProcess.of("ticket-service", Map.of("QUARKUS_PROFILE", "prod", "DB_NAME", "ticket_e2e"));
        // The three start side by side; each must stop on its own.
        java.util.concurrent.ExecutorService starts = java.util.concurrent.Executors.newFixedThreadPool(3);
        java.util.List<java.util.concurrent.Future<Integer>> exits = new java.util.ArrayList<>();
        for (ServiceProcess service : java.util.List.of(gateway, identity, tickets)) {
            exits.add(starts.submit(() -> service.runToExit(Duration.ofSeconds(90))));
        }
        starts.shutdown();
        assertThat(exits.get(0).get()).as(gateway.logText()).isNotZero();
        String log = gateway.logText();
        assertThat(log).contains("Refusing to start in production with local default secrets")
                .contains("DB_PASSWORD").contains("NOTIFICATION_SEAL_KEY");

        assertThat(exits.get(1).get()).isNotZero();
        assertThat(identity.logText()).contains("KEYCLOAK_ADMIN_PASSWORD").contains("IDENTITY_HASH_SECRET")
                .contains("PLATFORM_LOCAL_CLIENT_SECRETS").doesNotContain("NOTIFICATION_SEAL_KEY");

        assertThat(exits.get(2).get()).isNotZero();
        assertThat(tickets.logText()).contains("Refusing to start in production with local default secrets: DB_PASSWORD, "
                + "HUB_SECRET_KEY, OSS_EVENTS_SECRET, DESK_CLIENT_SECRET, DESK_SESSION_SECRET.");
    }
}
