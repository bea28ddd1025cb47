package io.unichannel.gateway.push;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The operator's push provider, as Huawei Push Kit's server API defines it (most of the
 * operator's Android and HarmonyOS handsets): {@code POST /v1/{appId}/messages:send} with an
 * OAuth 2.0 access token from the provider's token endpoint (client credentials: the app id and
 * app secret; the OIDC client keeps and renews it). The answer carries a result code:
 * 80000000 sent, 80100000 sent to some tokens (the rest listed as illegal), 80300007 every token
 * invalid; HTTP 401, 5xx and 503 (traffic control) mean try later.
 */
@RegisterRestClient(configKey = "push")
@OidcClientFilter("push")
@Path("/v1")
public interface PushKit {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Notification(String title, String body) {
    }

    /** What a tap opens: type 1 is an intent (a deep link into the APP). */
    record ClickAction(int type, String intent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AndroidNotification(String title, String body, @JsonProperty("click_action") ClickAction clickAction) {
    }

    /** Delivery options: a service notice is "NORMAL" urgency and lives a day if the handset is off. */
    record Android(String urgency, String ttl, AndroidNotification notification) {
    }

    /** One message to up to 1,000 tokens; {@code data} is a JSON string the APP reads. */
    record Message(Notification notification, String data, Android android, List<String> token) {
    }

    record Send(@JsonProperty("validate_only") boolean validateOnly, Message message) {
    }

    @POST
    @Path("/{appId}/messages:send")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response send(@PathParam("appId") String appId, Send message);
}
