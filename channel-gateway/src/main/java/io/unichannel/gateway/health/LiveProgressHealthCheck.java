package io.unichannel.gateway.health;

import io.unichannel.gateway.messaging.LiveProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once this replica reads live steps for the streams it serves. */
@Readiness
@ApplicationScoped
public class LiveProgressHealthCheck implements HealthCheck {

    private final LiveProgress live;

    public LiveProgressHealthCheck(LiveProgress live) {
        this.live = live;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Live progress (Kafka)").status(live.live()).build();
    }
}
