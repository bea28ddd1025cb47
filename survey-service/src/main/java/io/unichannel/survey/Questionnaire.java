package io.unichannel.survey;

import java.util.List;
import java.util.Optional;

/**
 * A versioned, multi-question questionnaire for one or more service types, with what each channel
 * asks of it: the page asks every question, an SMS the one question named by {@code sms} (answered
 * by a digit), an IVR call the questions named by {@code ivr} (answered by key presses).
 */
public record Questionnaire(String id, int version, List<String> serviceTypes, String title, String intro,
        List<Question> questions, String sms, List<String> ivr) {

    public Optional<Question> question(String questionId) {
        return questions.stream().filter(q -> q.id().equals(questionId)).findFirst();
    }

    /** The questions a channel asks: one for SMS, the IVR's for the hotline, all of them on a page. */
    public List<Question> askedOn(String channel) {
        return switch (channel) {
            case "sms" -> List.of(question(sms).orElseThrow());
            case "hotline" -> ivr.stream().map(id -> question(id).orElseThrow()).toList();
            default -> questions;
        };
    }
}
