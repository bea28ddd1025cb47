package io.unichannel.identity.health;

import io.unichannel.identity.keycloak.RealmProvisioningStartup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the platform realm exists in Keycloak: until then no channel can sign on. */
@Readiness
@ApplicationScoped
public class RealmReadinessCheck implements HealthCheck {

    private final RealmProvisioningStartup provisioning;

    public RealmReadinessCheck(RealmProvisioningStartup provisioning) {
        this.provisioning = provisioning;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("Keycloak platform realm");
        return provisioning.provisioned() ? builder.up().build()
                : builder.down().withData("error", String.valueOf(provisioning.lastError())).build();
    }
}
