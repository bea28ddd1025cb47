package io.unichannel.common.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Phone and ID numbers never reach a log line, not even inside a printed exception. */
class PersonalDataLogFilterTest {

    private static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void exceptionMessagesCausesAndSuppressedExceptionsAreMaskedAndTheStackTraceKept() {
        IllegalStateException cause = new IllegalStateException("duplicate key (msisdn)=(13912345678)");
        RuntimeException thrown = new RuntimeException("binding 440106199001011234 failed", cause);
        thrown.addSuppressed(new IllegalArgumentException("callback from +8613812345678"));
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "request of %s failed", ExtLogRecord.FormatStyle.PRINTF,
                getClass().getName());
        record.setParameters(new Object[] {"13700001111"});
        record.setThrown(thrown);

        assertThat(new PersonalDataLogFilter().isLoggable(record)).isTrue();

        String message = record.getFormattedMessage();
        String trace = printed(record.getThrown());
        for (String secret : new String[] {"13912345678", "440106199001011234", "8613812345678", "13700001111"}) {
            assertThat(message + trace).doesNotContain(secret);
        }
        assertThat(trace).contains("java.lang.RuntimeException: binding").contains("Caused by: java.lang.IllegalStateException")
                .contains("Suppressed: java.lang.IllegalArgumentException").contains("1234")
                .contains("PersonalDataLogFilterTest.exceptionMessagesCausesAndSuppressedExceptionsAreMaskedAndTheStackTraceKept");
    }

    @Test
    void anExceptionWithoutPersonalDataIsLoggedAsItIs() {
        LogRecord record = new LogRecord(Level.SEVERE, "outage");
        IllegalStateException thrown = new IllegalStateException("connection refused: 127.0.0.1:15432");
        record.setThrown(thrown);
        new PersonalDataLogFilter().isLoggable(record);
        assertThat(record.getThrown()).isSameAs(thrown);
    }
}
