package io.unichannel.common.privacy;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Last line of defence for personal data in logs: every log line is formatted here and any phone
 * or ID number in it is masked before a handler writes it. Code should log masked values in the
 * first place; this catches what slips through (an exception message quoting input, a library).
 * Enabled on the console (and file) handler of every service.
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
        return true;
    }
}
