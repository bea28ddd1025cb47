package io.unichannel.common.problem;

import java.util.Set;

/**
 * Tells a dependency's outage (PostgreSQL restarting, a connection refused or cut) from a fault of
 * the service's own: the first is answered 503 with Retry-After, as a delay the client waits out;
 * only the second is a 500. Read from the failure's causes: connection errors, connections closed
 * under the service, a pool's bounded wait for a connection running out, and PostgreSQL's own "shutting down" and "starting up" answers (SQLSTATE class
 * 57P: admin shutdown, crash shutdown, cannot connect now).
 */
public final class DependencyOutage {

    private static final Set<String> CONNECTION_FAILURES = Set.of("ClosedConnectionException", "ConnectTimeoutException",
            "ConnectException", "NoRouteToHostException", "ClosedChannelException", "PortUnreachableException",
            // A connection reset or broken under the service (PostgreSQL restarting, a peer gone).
            "SocketException");
    private static final int MOST_CAUSES = 10;

    private DependencyOutage() {
    }

    /** True when the failure, or one of its causes, is a dependency that cannot be reached right now. */
    public static boolean isOutage(Throwable failure) {
        Throwable e = failure;
        for (int depth = 0; e != null && depth < MOST_CAUSES; depth++, e = e.getCause()) {
            if (CONNECTION_FAILURES.contains(e.getClass().getSimpleName())) {
                return true;
            }
            String message = e.getMessage();
            if (message != null && (message.contains("57P01") || message.contains("57P02") || message.contains("57P03")
                    || message.equals("Pool closed") || message.contains("Connection refused")
                    || message.equals("Timeout waiting for connection")
                    || message.contains("the database system is starting up")
                    || message.contains("the database system is shutting down"))) {
                return true;
            }
        }
        return false;
    }

    /** The outermost cause's kind and message, for the log (no request data). */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < MOST_CAUSES; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + (message.length() > 120
                ? message.substring(0, 120) : message));
    }
}
