package io.unichannel.common.events;

import java.lang.reflect.Method;
import java.util.Set;

/**
 * Tells a record that can never be processed (poison: its own content breaks a rule or a
 * database constraint) from a failure that passes (the database or broker is away, a race with
 * another replica). Poison goes to dead-letters; everything else is retried until it succeeds.
 */
public final class Failures {

    /** SQL states that retrying cannot fix: data exceptions (class 22) and most integrity violations. */
    private static final Set<String> RETRYABLE_INTEGRITY = Set.of(
            "23505", // unique violation: another replica wrote the same thing first; a retry finds it
            "23P01"); // exclusion violation, same reason

    private Failures() {
    }

    public static boolean isPoison(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonException || t instanceof IllegalArgumentException
                    || t instanceof InvalidCloudEventException) {
                return true;
            }
            String state = sqlState(t);
            if (state != null) {
                return state.startsWith("22") || state.startsWith("23") && !RETRYABLE_INTEGRITY.contains(state);
            }
        }
        return false;
    }

    /** The SQL state of a JDBC or reactive PostgreSQL exception, read without depending on either driver. */
    private static String sqlState(Throwable t) {
        if (t instanceof java.sql.SQLException sql) {
            return valid(sql.getSQLState());
        }
        // Vert.x's PgException says getSqlState; Hibernate's JDBCException getSQLState.
        for (String name : new String[] {"getSqlState", "getSQLState"}) {
            try {
                Method method = t.getClass().getMethod(name);
                return valid(method.invoke(t));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this kind of exception
            }
        }
        return null;
    }

    private static String valid(Object state) {
        return state instanceof String s && s.length() == 5 ? s : null;
    }

    /** A record whose content can never be processed; the message is the reason, safe to publish. */
    public static final class PoisonException extends RuntimeException {
        public PoisonException(String reason) {
            super(reason, null, false, false);
        }
    }
}
