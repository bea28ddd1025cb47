package io.unichannel.identity.keycloak;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.quarkus.logging.Log;
import io.unichannel.identity.staff.SeedLoader;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Provisions the realm when the service starts, retrying with back-off while Keycloak is not yet
 * reachable. The service reports itself not ready until the realm is in place.
 */
@ApplicationScoped
public class RealmProvisioningStartup {

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final RealmProvisioner provisioner;
    private final SeedLoader seed;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "realm-provisioning");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean provisioned;
    private volatile String lastError = "not attempted yet";

    public RealmProvisioningStartup(RealmProvisioner provisioner, SeedLoader seed) {
        this.provisioner = provisioner;
        this.seed = seed;
    }

    void onStart(@Observes StartupEvent event) {
        scheduler.execute(() -> attempt(FIRST_RETRY));
    }

    void onStop(@Observes ShutdownEvent event) {
        scheduler.shutdownNow();
    }

    public boolean provisioned() {
        return provisioned;
    }

    public String lastError() {
        return lastError;
    }

    private void attempt(Duration nextDelay) {
        try {
            provisioner.provision();
            seed.apply();
            provisioned = true;
            lastError = null;
        } catch (Throwable e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            Log.warnf("Realm provisioning failed (%s); retrying in %ss", lastError, nextDelay.toSeconds());
            Duration after = nextDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextDelay.multipliedBy(2);
            scheduler.schedule(() -> attempt(after), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
