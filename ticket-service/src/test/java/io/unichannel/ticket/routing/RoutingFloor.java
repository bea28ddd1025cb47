package io.unichannel.ticket.routing;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * The test database is shared by every test class: tickets others left waiting would be offered
 * before a test's own, and agents they left available would take a test's offers. Tests of routing
 * start (and end) with an empty floor.
 */
public final class RoutingFloor {

    private RoutingFloor() {
    }

    public static void clear() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + System.getenv().getOrDefault("DB_PORT", "15432") + "/ticket_test", "postgres", "postgres")) {
            db.createStatement().execute("DELETE FROM routing_state");
            db.createStatement().execute("UPDATE agent SET presence = 'offline', offer_ticket = NULL");
        }
    }
}
