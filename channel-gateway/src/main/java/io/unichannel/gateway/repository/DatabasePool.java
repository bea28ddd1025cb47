package io.unichannel.gateway.repository;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's PostgreSQL pool, as Quarkus configures it, with a bounded wait for a connection.
 * While PostgreSQL restarts, every connection is gone and new ones are refused or hang; without a
 * bound a customer's progress read would queue for Vert.x's default 30 s. With it the wait ends
 * after {@code gateway.database.connection-wait} (1.5 s: a progress read takes two connections one
 * after the other, and a customer waits seconds, not tens of them) and the read is answered 503
 * with Retry-After (the timeout counts as the dependency's outage, see DependencyOutage), which the
 * APP waits out.
 */
@Singleton
public class DatabasePool implements PgPoolCreator {

    private final Duration connectionWait;

    public DatabasePool(@ConfigProperty(name = "gateway.database.connection-wait", defaultValue = "1500ms") Duration connectionWait) {
        this.connectionWait = connectionWait;
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus's PgPool beans wrap a PgPool; Pool.pool would not be one.
    public Pool create(Input input) {
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(),
                input.poolOptions().setConnectionTimeout((int) connectionWait.toMillis())
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
    }
}
