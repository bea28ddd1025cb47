package io.unichannel.survey.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.survey.AnswerSheet;
import io.unichannel.survey.Invitation;
import io.unichannel.survey.Question;
import io.unichannel.survey.Questionnaire;
import io.unichannel.survey.service.ResponseService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The survey behind a survey link, for the survey page: its questions, and the customer's answers.
 * Deliberately public: the link's token (128 random bits, sent only to the customer on their
 * channel) is the credential, as survey links are everywhere; it opens one questionnaire, once,
 * until it expires, and shows no personal data.
 */
@Path("/api/v1/survey-forms/{token}")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Survey page", description = "The questionnaire behind a survey link and its answers (the link is the credential)")
public class SurveyFormResource {

    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22}");

    private final ResponseService responses;

    public SurveyFormResource(ResponseService responses) {
        this.responses = responses;
    }

    /** The customer's answers: question id to a number, true/false, an option or text. */
    public record AnswersBody(JsonNode answers) {
    }

    @GET
    @Operation(summary = "The questionnaire to answer, or whether it was answered or has expired")
    public Uni<Map<String, Object>> form(@PathParam("token") String token) {
        return invitation(token).map(i -> {
            Questionnaire q = responses.questionnaireOf(i);
            Map<String, Object> form = new LinkedHashMap<>();
            form.put("title", q.title());
            form.put("intro", q.intro());
            form.put("ticketRef", i.ticketId());
            form.put("state", "sent".equals(i.status()) && (i.expiresAt() == null
                    || i.expiresAt().toInstant().isAfter(java.time.Instant.now())) ? "open"
                    : "answered".equals(i.status()) ? "answered" : "expired");
            form.put("expiresAt", i.expiresAt());
            List<Map<String, Object>> questions = new ArrayList<>();
            for (Question question : q.questions()) {
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("id", question.id());
                shown.put("kind", question.kind());
                shown.put("text", question.text());
                shown.put("required", question.mandatory());
                if ("rating".equals(question.kind()) || "nps".equals(question.kind())) {
                    shown.put("min", question.low());
                    shown.put("max", question.high());
                }
                if (question.options() != null) {
                    shown.put("options", question.options());
                }
                if (question.showIf() != null) {
                    shown.put("showIf", question.showIf());
                }
                questions.add(shown);
            }
            form.put("questions", questions);
            return form;
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answers the survey, once; a low answer asks for a follow-up within 48 hours")
    public Uni<Response> answer(@PathParam("token") String token, AnswersBody body) {
        if (!TOKEN.matcher(token).matches()) {
            return Uni.createFrom().failure(notFound());
        }
        if (body == null || body.answers() == null) {
            return Uni.createFrom().failure(invalid("answers (an object of question id to answer) is required"));
        }
        return responses.answerOnPage(token, body.answers())
                .onFailure(AnswerSheet.Invalid.class).transform(e -> invalid(e.getMessage()))
                .map(outcome -> switch (outcome) {
                    case RECORDED, FOLLOW_UP -> Response.status(201).entity(Map.of("recorded", true,
                            "followUp", outcome == ResponseService.Outcome.FOLLOW_UP)).build();
                    case ALREADY_ANSWERED -> throw new ProblemException(ProblemTypes.CONFLICT, "Already answered", 409,
                            "This survey has been answered; thank you.");
                    case EXPIRED -> throw new ProblemException(ProblemTypes.GONE, "Survey closed", 410,
                            "This survey has expired.");
                    case UNKNOWN -> throw notFound();
                });
    }

    private Uni<Invitation> invitation(String token) {
        if (!TOKEN.matcher(token).matches()) {
            return Uni.createFrom().failure(notFound());
        }
        return responses.byToken(token).map(found -> found.filter(i -> !"scheduled".equals(i.status())
                && !"suppressed".equals(i.status())).orElseThrow(SurveyFormResource::notFound));
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemTypes.NOT_FOUND, "No such survey", 404, "This survey link is not valid.");
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Answers not accepted", 400, detail);
    }
}
