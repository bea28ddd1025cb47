package io.unichannel.ticket.automation;

/**
 * What a rule concluded: a refusal with its reason, an approval, a known answer, or a referral to
 * a person. Rules insert findings; the decision is read from them.
 */
public final class Finding {

    private final String kind;
    private final String code;
    private final String message;

    private Finding(String kind, String code, String message) {
        this.kind = kind;
        this.code = code;
        this.message = message;
    }

    public static Finding refuse(String code, String message) {
        return new Finding("refuse", code, message);
    }

    public static Finding approve(String code, String message) {
        return new Finding("approve", code, message);
    }

    public static Finding answer(String code, String message) {
        return new Finding("answer", code, message);
    }

    public static Finding refer(String code, String message) {
        return new Finding("refer", code, message);
    }

    public String getKind() {
        return kind;
    }

    public String getCode() {
        return code;
    }

    public String getMessage() {
        return message;
    }

    @Override
    public String toString() {
        return kind + ":" + code;
    }
}
