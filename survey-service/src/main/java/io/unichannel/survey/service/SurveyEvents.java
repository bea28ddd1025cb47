package io.unichannel.survey.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.unichannel.common.events.Timestamps;
import io.unichannel.common.privacy.Masking;
import io.unichannel.survey.AnswerSheet;
import io.unichannel.survey.Invitation;
import io.unichannel.survey.Question;
import io.unichannel.survey.Questionnaire;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The payloads of survey-service's events (docs/events): what survey-events and notifications
 * carry. Free text the customer wrote travels with phone and ID numbers masked (BI reads these
 * topics); the answer itself is kept as given, for staff.
 */
@ApplicationScoped
public class SurveyEvents {

    private final ObjectMapper json;
    private final String pageUrl;

    public SurveyEvents(ObjectMapper json, @ConfigProperty(name = "survey.page-url") String pageUrl) {
        this.json = json;
        this.pageUrl = pageUrl.endsWith("/") ? pageUrl : pageUrl + "/";
    }

    public Map<String, Object> invitationSent(Invitation i, OffsetDateTime sentAt, OffsetDateTime expiresAt, boolean reminder) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invitationId", i.id().toString());
        data.put("ticketId", i.ticketId());
        data.put("customerId", i.customerId());
        data.put("channel", i.channel());
        data.put("templateId", i.questionnaireId());
        data.put("questionnaireVersion", i.questionnaireVersion());
        data.put("purpose", i.purpose());
        data.put("reminder", reminder);
        data.put("serviceType", i.serviceType());
        putIfSet(data, "region", i.region());
        putIfSet(data, "agentId", i.agentId());
        data.put("sentAt", Timestamps.rfc3339(sentAt));
        data.put("expiresAt", Timestamps.rfc3339(expiresAt));
        return data;
    }

    /**
     * The message the gateway delivers: a link to the survey page for APP, WeChat and web, the one
     * question answered by a digit for SMS, the key-press prompts for an IVR survey call.
     */
    public Map<String, Object> notification(Invitation i, Questionnaire q, OffsetDateTime at, OffsetDateTime expiresAt,
            boolean reminder) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("invitationId", i.id().toString());
        parameters.put("questionnaireId", q.id());
        parameters.put("purpose", i.purpose());
        parameters.put("title", q.title());
        parameters.put("intro", q.intro());
        parameters.put("link", pageUrl + i.token());
        Question sms = q.askedOn("sms").get(0);
        parameters.put("smsQuestionId", sms.id());
        parameters.put("smsText", sms.text() + " 请回复" + sms.keyHint());
        parameters.put("smsLow", sms.low());
        parameters.put("smsHigh", sms.high());
        List<Map<String, Object>> prompts = new ArrayList<>();
        for (Question question : q.askedOn("hotline")) {
            prompts.add(Map.of("questionId", question.id(), "text", question.text() + " 请按" + question.keyHint(),
                    "low", question.low(), "high", question.high()));
        }
        parameters.put("ivrPrompts", write(prompts));
        parameters.put("reminder", reminder);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("notificationId", (reminder ? "survey-reminder:" : "survey:") + i.id());
        data.put("customerId", i.customerId());
        data.put("channel", i.channel());
        data.put("template", reminder ? "survey-reminder" : "survey-invitation");
        data.put("parameters", parameters);
        data.put("relatedTicketId", i.ticketId());
        data.put("requestedAt", Timestamps.rfc3339(at));
        data.put("expiresAt", Timestamps.rfc3339(expiresAt));
        return data;
    }

    public Map<String, Object> responseReceived(Invitation i, AnswerSheet sheet, String followUpReason, OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invitationId", i.id().toString());
        data.put("ticketId", i.ticketId());
        data.put("customerId", i.customerId());
        data.put("channel", i.channel());
        data.put("serviceType", i.serviceType());
        data.put("templateId", i.questionnaireId());
        data.put("questionnaireVersion", i.questionnaireVersion());
        putIfSet(data, "region", i.region());
        putIfSet(data, "agentId", i.agentId());
        putIfSet(data, "csat", sheet.csat());
        putIfSet(data, "nps", sheet.nps());
        putIfSet(data, "firstContactResolution", sheet.fcr());
        data.put("followUp", followUpReason != null);
        List<Map<String, Object>> answers = new ArrayList<>();
        for (AnswerSheet.Answer a : sheet.answers()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("questionId", a.questionId());
            putIfSet(answer, "score", a.score());
            putIfSet(answer, "choice", a.choice());
            putIfSet(answer, "text", Masking.text(a.text()));
            putIfSet(answer, "dimension", a.dimension());
            answers.add(answer);
        }
        data.put("answers", answers);
        putIfSet(data, "comment", Masking.text(sheet.comment()));
        data.put("answeredAt", Timestamps.rfc3339(at));
        return data;
    }

    public Map<String, Object> followUpRequested(Invitation i, String reason, String comment, OffsetDateTime actBy,
            OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invitationId", i.id().toString());
        data.put("ticketId", i.ticketId());
        data.put("customerId", i.customerId());
        data.put("channel", i.channel());
        data.put("serviceType", i.serviceType());
        putIfSet(data, "region", i.region());
        data.put("reason", reason);
        putIfSet(data, "comment", Masking.text(comment));
        data.put("actBy", Timestamps.rfc3339(actBy));
        data.put("requestedAt", Timestamps.rfc3339(at));
        return data;
    }

    public Map<String, Object> verificationRecorded(Invitation verification, String originalTicketId, boolean fixed,
            OffsetDateTime at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invitationId", verification.id().toString());
        data.put("originalInvitationId", verification.originalInvitation().toString());
        data.put("ticketId", originalTicketId);
        data.put("followUpTicketId", verification.ticketId());
        data.put("customerId", verification.customerId());
        data.put("channel", verification.channel());
        data.put("fixed", fixed);
        data.put("answeredAt", Timestamps.rfc3339(at));
        return data;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfSet(Map<String, Object> data, String name, Object value) {
        if (value != null) {
            data.put(name, value);
        }
    }
}
