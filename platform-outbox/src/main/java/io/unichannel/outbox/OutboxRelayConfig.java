package io.unichannel.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the outbox relay reads changes from, and how often. */
@ConfigMapping(prefix = "platform.outbox")
public interface OutboxRelayConfig {

    @WithDefault("true")
    boolean enabled();

    String dbHost();

    int dbPort();

    String dbName();

    String dbUser();

    String dbPassword();

    /** The logical replication slot, created by a migration of the service; one per database. */
    String slot();

    /** Where events go unless the outbox row names its own topic. */
    String topic();

    /** The CloudEvents source of every event, e.g. /unichannel/ticket-service. */
    String source();

    @WithDefault("10")
    long pollIntervalMs();

    @WithDefault("0")
    long offsetFlushIntervalMs();
}
