package io.unichannel.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says what this replica's outbox relay does: the active one is ready while it streams, a standby
 * is ready while another replica holds the lease; neither is ready while the lease cannot be read.
 */
@Readiness
@ApplicationScoped
public class OutboxRelayHealthCheck implements HealthCheck {

    private final OutboxRelay relay;

    public OutboxRelayHealthCheck(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("Outbox relay")
                .withData("role", relay.role().name().toLowerCase())
                .withData("instance", relay.instanceId());
        return switch (relay.role()) {
            case DISABLED -> builder.up().build();
            case ACTIVE -> relay.stalled()
                    ? builder.down().withData("error", String.valueOf(relay.failure())).build()
                    : builder.up().withData("streaming", relay.running()).build();
            case STANDBY -> builder.up().withData("holder", String.valueOf(relay.otherHolder())).build();
            case UNKNOWN -> builder.down().withData("error", String.valueOf(relay.failure())).build();
        };
    }
}
