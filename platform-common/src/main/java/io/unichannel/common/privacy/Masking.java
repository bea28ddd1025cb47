package io.unichannel.common.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data (phone and ID numbers) wherever it is shown to someone who does not need
 * it: events, logs, lists for staff. Mobile numbers keep their first three and last four digits
 * (138****5678), as operators print them on bills; ID numbers keep only their last four.
 */
public final class Masking {

    /** Chinese mainland mobile numbers, with or without +86 / 86, and other long digit runs. */
    private static final Pattern PHONE = Pattern.compile("(?<![0-9])(\\+?86)?(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])");
    /** Resident ID numbers: 17 digits and a digit or X. */
    private static final Pattern ID_NUMBER = Pattern.compile("(?<![0-9A-Za-z])([0-9]{6})([0-9]{8})([0-9]{3})([0-9Xx])(?![0-9A-Za-z])");

    private Masking() {
    }

    /** 13812345678 -> 138****5678; a short or odd value is masked whole but for its last two. */
    public static String msisdn(String msisdn) {
        if (msisdn == null) {
            return null;
        }
        String digits = msisdn.trim();
        if (digits.length() < 8) {
            return "****" + digits.substring(Math.max(0, digits.length() - 2));
        }
        return digits.substring(0, digits.length() - 8) + "****" + digits.substring(digits.length() - 4);
    }

    /** Any identifier (openid, account): first and last characters with the middle masked. */
    public static String identifier(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() <= 4) {
            return "****";
        }
        int keep = Math.min(4, value.length() / 4);
        return value.substring(0, keep) + "****" + value.substring(value.length() - keep);
    }

    /** An ID number: only the last four characters stay. */
    public static String idNumber(String number) {
        if (number == null) {
            return null;
        }
        String trimmed = number.trim();
        return "**************" + trimmed.substring(Math.max(0, trimmed.length() - 4));
    }

    /** Masks every phone and ID number found in free text (log lines, descriptions). */
    public static String text(String text) {
        if (text == null || text.length() < 11) {
            return text;
        }
        String masked = ID_NUMBER.matcher(text).replaceAll(
                m -> Matcher.quoteReplacement("**************" + m.group(3) + m.group(4)));
        return PHONE.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(
                (m.group(1) == null ? "" : m.group(1)) + m.group(2) + "****" + m.group(4)));
    }
}
