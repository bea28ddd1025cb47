package io.unichannel.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the replica has read the request history, so it answers for every request. */
@Readiness
@ApplicationScoped
public class ProgressFeedHealthCheck implements HealthCheck {

    private final ProgressFeed feed;

    public ProgressFeedHealthCheck(ProgressFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Progress feed (channel-requests, ticket-events)").status(feed.caughtUp()).build();
    }
}
