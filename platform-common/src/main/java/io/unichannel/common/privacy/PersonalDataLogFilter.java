package io.unichannel.common.privacy;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Last line of defence for personal data in logs: every log line is formatted here and any phone
 * or ID number in it is masked before a handler writes it. Code should log masked values in the
 * first place; this catches what slips through (an exception message quoting input, a library).
 * Exceptions are masked too: a logged exception whose message, or whose causes' or suppressed
 * exceptions' messages, hold personal data is replaced by a copy with masked messages and the
 * same stack traces. Enabled on the console (and file) handler of every service.
 */
@LoggingFilter(name = "personal-data")
public final class PersonalDataLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String masked = Masking.text(formatted);
        if (masked != null && !masked.equals(formatted)) {
            record.setMessage(masked);
            record.setParameters(null);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
            }
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && holdsPersonalData(thrown, 0)) {
            record.setThrown(masked(thrown, 0));
        }
        return true;
    }

    private static final int DEEPEST = 16;

    private static boolean holdsPersonalData(Throwable t, int depth) {
        if (t == null || depth > DEEPEST) {
            return false;
        }
        String text = String.valueOf(t.getMessage());
        if (!text.equals(Masking.text(text))) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (holdsPersonalData(suppressed, depth + 1)) {
                return true;
            }
        }
        return holdsPersonalData(t.getCause(), depth + 1);
    }

    /** A stand-in that prints like the original (class name, masked message, stack trace, causes). */
    private static Throwable masked(Throwable t, int depth) {
        if (t == null || depth > DEEPEST) {
            return null;
        }
        MaskedException copy = new MaskedException(t.getClass().getName(), Masking.text(t.getMessage()),
                masked(t.getCause(), depth + 1));
        copy.setStackTrace(t.getStackTrace());
        for (Throwable suppressed : t.getSuppressed()) {
            copy.addSuppressed(masked(suppressed, depth + 1));
        }
        return copy;
    }

    /** An exception printed under the original's class name, with its message masked. */
    static final class MaskedException extends RuntimeException {

        private final String originalClass;

        MaskedException(String originalClass, String message, Throwable cause) {
            super(message, cause, true, true);
            this.originalClass = originalClass;
        }

        @Override
        public String toString() {
            String message = getLocalizedMessage();
            return message != null ? originalClass + ": " + message : originalClass;
        }
    }
}
