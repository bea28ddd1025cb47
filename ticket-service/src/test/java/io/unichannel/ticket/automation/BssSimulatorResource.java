package io.unichannel.ticket.automation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.unichannel.simulator.BssOssSimulator;

/**
 * The operator's BSS and OSS for every ticket-service test: the simulator on a free loopback port
 * with its seeded customers, and the service's BSS and OSS clients pointed at it. Tests set their
 * own customers up through its /sim fixtures.
 */
public class BssSimulatorResource implements QuarkusTestResourceLifecycleManager {

    private static BssOssSimulator simulator;

    @Override
    public synchronized Map<String, String> start() {
        if (simulator == null) {
            try {
                simulator = BssOssSimulator.start(0, 200);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("quarkus.rest-client.bss.url", simulator.baseUrl(), "quarkus.rest-client.oss.url", simulator.baseUrl());
    }

    @Override
    public void stop() {
        // Kept for the next test profile of this run; it dies with the test JVM.
    }

    /** True while the ticket waits in a routing queue (ticket_test's routing_state). */
    public static boolean queued(String ticketId) throws java.sql.SQLException {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_test", "postgres", "postgres");
                java.sql.PreparedStatement query = db.prepareStatement("SELECT 1 FROM routing_state WHERE ticket_id = ?")) {
            query.setString(1, ticketId);
            try (java.sql.ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    public static String url() {
        return simulator.baseUrl();
    }
}
