package io.unichannel.survey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One version of the survey definitions (questionnaires.json, or the operator's file): the
 * questionnaire of each service type, the verification re-survey, when invitations go out and
 * expire, and the contact rules against over-surveying. Checked completely when read; a file with
 * a mistake is refused with the reason, never half applied.
 */
public record SurveyDefinitions(String version, String description, Invitation invitation, ContactRules contactRules,
        List<Questionnaire> questionnaires, Questionnaire verification) {

    public static final List<String> SERVICE_TYPES = List.of("complaint", "consultation", "businessRequest", "faultRepair");

    /** After resolution: how long to wait before inviting, how long an invitation stays open, when the one reminder goes. */
    public record Invitation(String delay, String expiry, String reminderAfter) {
        public Duration delayDuration() {
            return parse(delay);
        }

        public Duration expiryDuration() {
            return parse(expiry);
        }

        public Duration reminderDuration() {
            return parse(reminderAfter);
        }
    }

    /**
     * At most {@code maxPerPeriod} satisfaction surveys per person within {@code period}, at least
     * {@code minGap} apart, on every channel together; none sent in quiet hours; a share of each
     * service type's resolutions sampled. Verification re-surveys are exempt.
     */
    public record ContactRules(int maxPerPeriod, String period, String minGap, QuietHours quietHours,
            Map<String, Double> sampling) {
        public Duration periodDuration() {
            return parse(period);
        }

        public Duration minGapDuration() {
            return parse(minGap);
        }
    }

    /** Hours (in the zone) in which no invitation is sent; those due are sent when they end. */
    public record QuietHours(String start, String end, String zone) {
        public LocalTime startTime() {
            return LocalTime.parse(start);
        }

        public LocalTime endTime() {
            return LocalTime.parse(end);
        }

        public ZoneId zoneId() {
            return ZoneId.of(zone);
        }
    }

    /** The questionnaire for a service type. */
    public Optional<Questionnaire> forServiceType(String serviceType) {
        return questionnaires.stream().filter(q -> q.serviceTypes().contains(serviceType)).findFirst();
    }

    /** A questionnaire by id (the verification one included). */
    public Optional<Questionnaire> byId(String id) {
        if (verification.id().equals(id)) {
            return Optional.of(verification);
        }
        return questionnaires.stream().filter(q -> q.id().equals(id)).findFirst();
    }

    public double samplingRate(String serviceType) {
        return contactRules.sampling() == null ? 1.0 : contactRules.sampling().getOrDefault(serviceType, 1.0);
    }

    public static SurveyDefinitions read(Optional<String> file, ObjectMapper json) {
        try (InputStream in = file.filter(f -> !f.isBlank()).isPresent()
                ? Files.newInputStream(Path.of(file.get()))
                : SurveyDefinitions.class.getResourceAsStream("/questionnaires.json")) {
            SurveyDefinitions read = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, SurveyDefinitions.class);
            read.check();
            return read;
        } catch (IOException e) {
            throw new IllegalStateException("survey definitions " + file.orElse("questionnaires.json") + " unreadable: "
                    + e.getMessage(), e);
        }
    }

    /** Refuses definitions with a mistake, naming it. */
    public void check() {
        List<String> problems = new ArrayList<>();
        if (version == null || version.isBlank()) {
            problems.add("version is missing");
        }
        try {
            invitation.delayDuration();
            invitation.expiryDuration();
            invitation.reminderDuration();
            contactRules.periodDuration();
            contactRules.minGapDuration();
            if (contactRules.quietHours() != null) {
                contactRules.quietHours().startTime();
                contactRules.quietHours().endTime();
                contactRules.quietHours().zoneId();
            }
        } catch (RuntimeException e) {
            problems.add("invitation or contactRules: " + e.getMessage());
        }
        if (contactRules.maxPerPeriod() < 1) {
            problems.add("contactRules.maxPerPeriod must be at least 1");
        }
        if (contactRules.sampling() != null) {
            contactRules.sampling().forEach((type, rate) -> {
                if (!SERVICE_TYPES.contains(type) || rate == null || rate < 0 || rate > 1) {
                    problems.add("sampling " + type + ": a service type and a rate from 0 to 1");
                }
            });
        }
        Set<String> covered = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Questionnaire q : questionnaires) {
            checkQuestionnaire(q, problems);
            if (!ids.add(q.id())) {
                problems.add("questionnaire " + q.id() + " appears twice");
            }
            for (String type : q.serviceTypes()) {
                if (!SERVICE_TYPES.contains(type) || !covered.add(type)) {
                    problems.add("questionnaire " + q.id() + ": service type " + type + " unknown or already covered");
                }
            }
        }
        if (!covered.containsAll(SERVICE_TYPES)) {
            problems.add("every service type needs a questionnaire: " + SERVICE_TYPES);
        }
        checkQuestionnaire(verification, problems);
        if (verification.questions().stream().noneMatch(q -> "fixed".equals(q.measure()))) {
            problems.add("the verification questionnaire needs a yesNo question measuring fixed");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("survey definitions refused: " + String.join("; ", problems));
        }
    }

    private static void checkQuestionnaire(Questionnaire q, List<String> problems) {
        String at = "questionnaire " + q.id();
        if (q.id() == null || !q.id().matches("[a-z0-9-]{1,64}") || q.version() < 1 || q.questions() == null
                || q.questions().isEmpty()) {
            problems.add(at + ": an id (a-z 0-9 -), a version from 1 and questions are required");
            return;
        }
        Set<String> seen = new HashSet<>();
        Set<String> measures = new HashSet<>();
        for (Question question : q.questions()) {
            String where = at + " question " + question.id();
            if (question.id() == null || !question.id().matches("[a-z0-9-]{1,64}") || !seen.add(question.id())) {
                problems.add(where + ": a unique id (a-z 0-9 -) is required");
            }
            if (!Question.KINDS.contains(question.kind()) || question.text() == null || question.text().isBlank()) {
                problems.add(where + ": kind " + Question.KINDS + " and text are required");
                continue;
            }
            if (question.measure() != null && (!Question.MEASURES.contains(question.measure()) || !measures.add(question.measure()))) {
                problems.add(where + ": measure must be one of " + Question.MEASURES + ", once per questionnaire");
            }
            if (question.measure() != null) {
                String expected = switch (question.measure()) {
                    case "csat" -> "rating";
                    case "nps" -> "nps";
                    default -> "yesNo";
                };
                if (!expected.equals(question.kind())) {
                    problems.add(where + ": measure " + question.measure() + " needs kind " + expected);
                }
            }
            if (question.dimension() != null && !Question.DIMENSIONS.contains(question.dimension())) {
                problems.add(where + ": dimension must be one of " + Question.DIMENSIONS);
            }
            if ("choice".equals(question.kind()) && (question.options() == null || question.options().size() < 2
                    || question.options().size() > 9)) {
                problems.add(where + ": a choice needs 2 to 9 options");
            }
            if ("rating".equals(question.kind()) && (question.low() < 0 || question.high() > 10 || question.low() >= question.high())) {
                problems.add(where + ": a rating's range lies within 0-10");
            }
            if (question.showIf() != null && q.question(question.showIf().question()).filter(Question::keyed).isEmpty()) {
                problems.add(where + ": showIf names no earlier scored question");
            }
        }
        if (q.sms() == null || q.question(q.sms()).filter(Question::keyed).isEmpty()) {
            problems.add(at + ": sms must name a question answered by a digit");
        }
        if (q.ivr() == null || q.ivr().isEmpty() || q.ivr().stream().anyMatch(id -> q.question(id).filter(Question::keyed).isEmpty())) {
            problems.add(at + ": ivr must name questions answered by keys");
        }
    }

    private static Duration parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a duration is missing");
        }
        return value.startsWith("PT") ? Duration.parse(value) : Duration.ofDays(Period.parse(value).getDays());
    }
}
