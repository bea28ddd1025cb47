package io.unichannel.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

/** A database restarting is a delay (503 with Retry-After), a bug of the service's own is not. */
class DependencyOutageTest {

    @Test
    void postgresRestartingAndConnectionsRefusedAreOutages() {
        assertThat(DependencyOutage.isOutage(new RuntimeException("FATAL: the database system is shutting down (57P03)"))).isTrue();
        assertThat(DependencyOutage.isOutage(new IllegalStateException("terminating connection due to administrator command (57P01)")))
                .isTrue();
        assertThat(DependencyOutage.isOutage(new RuntimeException("wrapped", new ConnectException("Connection refused")))).isTrue();
        assertThat(DependencyOutage.isOutage(new RuntimeException(new IllegalStateException("Pool closed")))).isTrue();
        // PostgreSQL's socket reset under a query while it restarts (seen by the fault drill as a 500).
        assertThat(DependencyOutage.isOutage(new java.net.SocketException("Connection reset"))).isTrue();
        // A pool whose bounded wait for a connection ran out (Vert.x SqlConnectionPool, the gateway's DatabasePool).
        assertThat(DependencyOutage.isOutage(new io.vertx.core.VertxException("Timeout waiting for connection", true))).isTrue();
    }

    @Test
    void theServicesOwnFaultsAreNot() {
        assertThat(DependencyOutage.isOutage(new NullPointerException())).isFalse();
        assertThat(DependencyOutage.isOutage(new IllegalStateException("duplicate key value violates unique constraint (23505)")))
                .isFalse();
        assertThat(DependencyOutage.isOutage(new RuntimeException("syntax error at or near \"SELEC\" (42601)"))).isFalse();
        assertThat(DependencyOutage.describe(new RuntimeException("outer", new ConnectException("Connection refused"))))
                .isEqualTo("ConnectException: Connection refused");
    }
}
