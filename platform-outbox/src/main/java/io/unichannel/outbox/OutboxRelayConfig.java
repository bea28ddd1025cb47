package io.unichannel.outbox;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the outbox relay reads changes from, how often, and how replicas share it. */
@ConfigMapping(prefix = "platform.outbox")
public interface OutboxRelayConfig {

    @WithDefault("true")
    boolean enabled();

    String dbHost();

    int dbPort();

    String dbName();

    String dbUser();

    String dbPassword();

    /** The logical replication slot, created by the outbox migration; one per database. */
    String slot();

    /** Where events go unless the outbox row names its own topic. */
    String topic();

    /** The CloudEvents source of every event, e.g. /unichannel/ticket-service. */
    String source();

    /** This replica's name in the lease; defaults to host/pid. */
    Optional<String> instanceId();

    /**
     * How long a lease lasts without renewal: a standby takes over at most this long (plus one
     * check) after the holder was killed or cut off.
     */
    @WithDefault("3000")
    long leaseMs();

    /** How often every replica checks (and the holder renews) the lease: two renewals fit in a lease. */
    @WithDefault("1000")
    long leaseRenewMs();

    /** How long published events stay in the outbox table (for inspection) before they are pruned. */
    @WithDefault("PT10M")
    Duration retention();

    @WithDefault("30000")
    long pruneIntervalMs();
}
