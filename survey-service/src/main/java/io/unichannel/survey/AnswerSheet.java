package io.unichannel.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.common.validation.Text;

/**
 * A customer's answers to a questionnaire, checked and scored: each answer within its question's
 * range, the measures (csat, nps, first-contact resolution, solved, fixed) and the dimension
 * scores (0-100: the mean of the dimension's scored answers, each scaled from its range). Which
 * questions must be answered depends on what the channel asked: a page every question (those
 * behind a {@code showIf} only when it holds), an SMS one, an IVR call its few.
 */
public record AnswerSheet(List<Answer> answers, Integer csat, Integer nps, Boolean fcr, Boolean solved, Boolean fixed,
        Map<String, Double> dimensions, String comment) {

    /** One answer: a score (rating, nps, yes 1 / no 0, choice number), a choice's option, or text. */
    public record Answer(String questionId, Integer score, String choice, String text, String dimension) {
    }

    /** The answers break a rule the customer can fix; the message says which. */
    public static class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Why this answer asks for a follow-up, or null: a detractor, a dissatisfied rating, not solved, not fixed. */
    public String followUpReason() {
        if (fixed != null) {
            return fixed ? null : "notFixed";
        }
        if (solved != null && !solved) {
            return "notSolved";
        }
        if (nps != null && nps <= 6) {
            return "detractor";
        }
        if (csat != null && csat <= 2) {
            return "dissatisfied";
        }
        return null;
    }

    /**
     * Answers given on a page: a JSON object of question id to a number (rating, nps), a boolean
     * (yesNo), an option (choice) or text.
     */
    public static AnswerSheet fromPage(Questionnaire q, JsonNode given) {
        if (given == null || !given.isObject()) {
            throw new Invalid("answers must be an object of question id to answer");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        given.fields().forEachRemaining(field -> {
            Question question = q.question(field.getKey())
                    .orElseThrow(() -> new Invalid("no question " + shown(field.getKey()) + " in this survey"));
            JsonNode v = field.getValue();
            if (v.isNull()) {
                return;
            }
            values.put(question.id(), switch (question.kind()) {
                case "yesNo" -> {
                    if (!v.isBoolean()) {
                        throw new Invalid(question.id() + ": answer true or false");
                    }
                    yield v.booleanValue() ? 1 : 2;
                }
                case "choice" -> {
                    int index = v.isTextual() ? question.options().indexOf(v.textValue()) : -1;
                    if (index < 0) {
                        throw new Invalid(question.id() + ": one of " + question.options());
                    }
                    yield index + 1;
                }
                case "text" -> {
                    if (!v.isTextual() || Text.problem(v.textValue(), 2000, true) != null) {
                        throw new Invalid(question.id() + ": text of at most 2000 characters");
                    }
                    yield v.textValue().strip();
                }
                default -> {
                    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                        throw new Invalid(question.id() + ": a whole number " + question.keyHint());
                    }
                    yield v.intValue();
                }
            });
        });
        return score(q, q.questions(), values);
    }

    /** Keys pressed (IVR) or a digit replied (SMS), per question: rating and nps as the number, yesNo 1 yes 2 no, choice its number. */
    public static AnswerSheet fromKeys(Questionnaire q, List<Question> asked, Map<String, String> keys) {
        Map<String, Object> values = new LinkedHashMap<>();
        keys.forEach((questionId, key) -> {
            Question question = asked.stream().filter(a -> a.id().equals(questionId)).findFirst()
                    .orElseThrow(() -> new Invalid("question " + shown(questionId) + " was not asked on this channel"));
            if (key == null || !key.matches("10|[0-9]")) {
                throw new Invalid(questionId + ": a key from 0 to 10");
            }
            values.put(questionId, Integer.parseInt(key));
        });
        return score(q, asked, values);
    }

    private static AnswerSheet score(Questionnaire q, List<Question> asked, Map<String, Object> values) {
        List<Answer> answers = new ArrayList<>();
        Integer csat = null;
        Integer nps = null;
        Boolean fcr = null;
        Boolean solved = null;
        Boolean fixed = null;
        Map<String, double[]> sums = new LinkedHashMap<>();
        String comment = null;
        Set<String> askedIds = new java.util.HashSet<>(asked.stream().map(Question::id).toList());
        for (Question question : q.questions()) {
            if (!askedIds.contains(question.id())) {
                continue;
            }
            boolean shown = question.showIf() == null || values.get(question.showIf().question()) instanceof Integer earlier
                    && earlier <= question.showIf().atMost();
            Object value = values.get(question.id());
            if (!shown) {
                continue;
            }
            if (value == null) {
                if (question.mandatory()) {
                    throw new Invalid(question.id() + " is not answered");
                }
                continue;
            }
            if (value instanceof String text) {
                answers.add(new Answer(question.id(), null, null, text, question.dimension()));
                comment = comment == null ? text : comment;
                continue;
            }
            int score = (Integer) value;
            if (score < question.low() || score > question.high()) {
                throw new Invalid(question.id() + ": answer " + question.keyHint());
            }
            String choice = "choice".equals(question.kind()) ? question.options().get(score - 1) : null;
            Integer recorded = "yesNo".equals(question.kind()) ? (score == 1 ? 1 : 0) : choice != null ? score : score;
            answers.add(new Answer(question.id(), recorded, choice, null, question.dimension()));
            if (question.measure() != null) {
                switch (question.measure()) {
                    case "csat" -> csat = score;
                    case "nps" -> nps = score;
                    case "fcr" -> fcr = score == 1;
                    case "solved" -> solved = score == 1;
                    default -> fixed = score == 1;
                }
            }
            if (question.dimension() != null && choice == null) {
                double scaled = "yesNo".equals(question.kind()) ? recorded * 100.0
                        : (score - question.low()) * 100.0 / (question.high() - question.low());
                double[] sum = sums.computeIfAbsent(question.dimension(), d -> new double[2]);
                sum[0] += scaled;
                sum[1]++;
            }
        }
        Map<String, Double> dimensions = new LinkedHashMap<>();
        sums.forEach((dimension, sum) -> dimensions.put(dimension, sum[0] / sum[1]));
        return new AnswerSheet(List.copyOf(answers), csat, nps, fcr, solved, fixed, dimensions, comment);
    }

    private static String shown(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "..." : id;
    }
}
