package io.unichannel.common.validation;

/**
 * Rules for text that a database will store and other channels will show: no NUL or other control
 * characters (line breaks and tabs allowed where multi-line text is), no unpaired surrogates
 * (invalid Unicode), and a length limit in characters. Used at the edge (bean validation) and
 * again by every consumer, which must not trust its topic.
 */
public final class Text {

    private Text() {
    }

    /** Why the value breaks the rules, or null when it is fine. A null value is fine (optional). */
    public static String problem(String value, int maxLength, boolean multiLine) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return "longer than " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains invalid Unicode (an unpaired surrogate)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains invalid Unicode (an unpaired surrogate)";
            }
            if (multiLine && (c == '\n' || c == '\r' || c == '\t')) {
                continue;
            }
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFFFE' || c == '\uFFFF') {
                return "contains a control character (U+" + String.format("%04X", (int) c) + ")";
            }
        }
        return null;
    }

    /** True when the value is present, not blank and follows the rules. */
    public static boolean isValidRequired(String value, int maxLength, boolean multiLine) {
        return value != null && !value.isBlank() && problem(value, maxLength, multiLine) == null;
    }
}
