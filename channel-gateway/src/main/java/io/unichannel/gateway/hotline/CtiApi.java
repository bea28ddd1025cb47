package io.unichannel.gateway.hotline;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The contact centre's CTI, outbound (docs/channels/cti.md): an IVR survey call placed to a
 * customer, its prompts read in order, each answered by a key; the CTI posts the keys back to
 * {@code /channels/hotline/survey-calls/{surveyId}/keys}, signed as its call events are.
 */
@RegisterRestClient(configKey = "cti")
@Path("/v1")
public interface CtiApi {

    /** One prompt: what the IVR reads and which keys answer it ("1-5", "0-10", "1-2"). */
    record Prompt(String questionId, String text, String keys) {
    }

    record SurveyCall(String surveyId, String to, List<Prompt> prompts) {
    }

    @POST
    @Path("/survey-calls")
    @Consumes(MediaType.APPLICATION_JSON)
    Response placeSurveyCall(@HeaderParam("Authorization") String authorization, SurveyCall call);
}
