package io.unichannel.ticket.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the outbox relay reads changes from, and how often. */
@ConfigMapping(prefix = "ticket.outbox")
public interface OutboxRelayConfig {

    @WithDefault("true")
    boolean enabled();

    String dbHost();

    int dbPort();

    String dbName();

    String dbUser();

    String dbPassword();

    /** The logical replication slot, created by the V3 migration; one per database. */
    String slot();

    @WithDefault("10")
    long pollIntervalMs();

    @WithDefault("0")
    long offsetFlushIntervalMs();
}
