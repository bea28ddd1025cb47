package io.unichannel.survey;

import java.util.List;

/**
 * One question of a questionnaire. Kinds: {@code rating} (min..max, 1-5 unless set), {@code nps}
 * (0-10), {@code yesNo}, {@code choice} (one of its options), {@code text} (free text, at most 2000
 * characters). {@code measure} names what the answer counts towards (csat, nps, fcr, solved,
 * fixed); {@code dimension} the score it feeds (efficiency, quality, experience). A question with
 * {@code showIf} is asked only when an earlier rating is at most a value (a follow-up on a low score).
 */
public record Question(String id, String kind, String text, String measure, String dimension, Integer min, Integer max,
        List<String> options, Boolean required, ShowIf showIf) {

    public static final List<String> KINDS = List.of("rating", "nps", "yesNo", "choice", "text");
    public static final List<String> MEASURES = List.of("csat", "nps", "fcr", "solved", "fixed");
    public static final List<String> DIMENSIONS = List.of("efficiency", "quality", "experience");

    /** Asked only when the named question's answer is at most {@code atMost}. */
    public record ShowIf(String question, int atMost) {
    }

    public int low() {
        return switch (kind) {
            case "nps" -> 0;
            case "rating" -> min == null ? 1 : min;
            case "yesNo" -> 1;
            case "choice" -> 1;
            default -> 0;
        };
    }

    public int high() {
        return switch (kind) {
            case "nps" -> 10;
            case "rating" -> max == null ? 5 : max;
            case "yesNo" -> 2;
            case "choice" -> options == null ? 0 : options.size();
            default -> 0;
        };
    }

    public boolean mandatory() {
        return required == null || required;
    }

    /** Whether a key press or a replied digit can answer it (everything but free text). */
    public boolean keyed() {
        return !"text".equals(kind);
    }

    /** How a key or digit answers this question, said in a prompt: "1-5", "0-10", "1是 2否". */
    public String keyHint() {
        return switch (kind) {
            case "yesNo" -> "1是 2否";
            case "choice" -> {
                StringBuilder hint = new StringBuilder();
                for (int i = 0; i < options.size(); i++) {
                    hint.append(i == 0 ? "" : " ").append(i + 1).append(options.get(i));
                }
                yield hint.toString();
            }
            default -> low() + "-" + high();
        };
    }
}
