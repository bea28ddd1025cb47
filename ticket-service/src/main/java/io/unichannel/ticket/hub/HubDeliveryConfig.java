package io.unichannel.ticket.hub;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the hub delivers: retry budget and backoff, circuit breaker per callback, timeouts, batch sizes. */
@ConfigMapping(prefix = "ticket.hub")
public interface HubDeliveryConfig {

    /** Attempts before a delivery is dead (dead-lettered, kept for redelivery on request). */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failure; doubled after each further one. */
    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("10m")
    Duration maxBackoff();

    /** How long a claimed delivery stays with the replica sending it. */
    @WithDefault("30s")
    Duration lease();

    @WithDefault("2s")
    Duration connectTimeout();

    @WithDefault("5s")
    Duration readTimeout();

    /** Calls a callback's circuit breaker looks at before it may open. */
    @WithDefault("4")
    int breakerVolume();

    /** How long an open circuit stays open. */
    @WithDefault("30s")
    Duration breakerDelay();

    @WithDefault("100")
    int batch();

    /**
     * The key that seals subscription secrets at rest (AES-256-GCM): the database holds no secret a
     * reader could sign deliveries with. Production refuses the local default.
     */
    String secretKey();

    /** How often each replica looks for due deliveries (Quarkus' scheduler fires at most once a second). */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * Whether callbacks may be plain http and resolve to loopback or private addresses: local runs
     * and tests only; production refuses them (SSRF).
     */
    @WithDefault("false")
    boolean allowPrivateCallbacks();

    @WithDefault("16")
    int concurrency();
}
