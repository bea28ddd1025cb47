package io.unichannel.gateway.hotline;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Asks the CTI to place IVR survey calls; off unless the operator's CTI takes outbound calls (GATEWAY_CTI_OUTBOUND). */
@ApplicationScoped
public class SurveyCalls {

    /** The CTI refused the call for good (a 4xx: the number, the prompts); another channel is tried. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final CtiApi cti;
    private final boolean enabled;
    private final String token;

    public SurveyCalls(@RestClient CtiApi cti, @ConfigProperty(name = "gateway.cti.outbound") boolean enabled,
            @ConfigProperty(name = "gateway.cti.api-token") String token) {
        this.cti = cti;
        this.enabled = enabled;
        this.token = token;
    }

    public boolean configured() {
        return enabled;
    }

    @Timeout(value = 6, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100, abortOn = Refused.class)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS, skipOn = Refused.class)
    public void place(String surveyId, String to, List<CtiApi.Prompt> prompts) {
        Response response;
        try {
            response = cti.placeSurveyCall("Bearer " + token, new CtiApi.SurveyCall(surveyId, to, prompts));
        } catch (jakarta.ws.rs.WebApplicationException e) {
            response = e.getResponse();
        }
        try (Response answer = response) {
            int status = answer.getStatus();
            if (status / 100 == 2) {
                return;
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                throw new Refused("the CTI refused survey call " + surveyId + " (HTTP " + status + ")");
            }
            throw new IllegalStateException("the CTI answered HTTP " + status);
        }
    }
}
