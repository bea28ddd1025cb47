package io.unichannel.survey.rest;

import io.unichannel.common.web.SignedInPages;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The survey page customers open from the link on the APP, WeChat or the web: mobile first, one
 * page, the questions of their questionnaire with the follow-up question on a low score.
 */
@Path("/survey/{token}")
@PermitAll
@Tag(name = "Survey page")
public class SurveyPageResource {

    private static final String PAGE = SignedInPages.load("/survey/index.html");

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The survey page (its script reads the questionnaire through /api/v1/survey-forms)")
    public Response page(@PathParam("token") String token) {
        return SignedInPages.page(PAGE);
    }
}
