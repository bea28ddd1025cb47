package io.unichannel.identity.keycloak;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.unichannel.identity.signin.SignInConfig;
import io.unichannel.identity.signin.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every 30 seconds on each replica: rotates the sign-in key once it has signed for its period
 * (the database lock makes that one rotation across replicas), and checks that Keycloak's JWKS
 * address still answers with the key in use (a replica whose address Keycloak used may be gone).
 */
@ApplicationScoped
public class AssertionKeyUpkeep {

    private final SigningKeys keys;
    private final RealmProvisioner provisioner;
    private final RealmProvisioningStartup startup;
    private final SignInConfig config;

    public AssertionKeyUpkeep(SigningKeys keys, RealmProvisioner provisioner, RealmProvisioningStartup startup,
            SignInConfig config) {
        this.keys = keys;
        this.provisioner = provisioner;
        this.startup = startup;
        this.config = config;
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void upkeep() {
        if (!startup.provisioned()) {
            return;
        }
        try {
            keys.rotateIfOlderThan(config.keys().rotationPeriod(), config.keys().publishLead());
            provisioner.ensureAssertionKeys();
        } catch (RuntimeException e) {
            Log.warnf("Sign-in key upkeep failed, trying again in 30 s: %s", e.getMessage());
        }
    }
}
