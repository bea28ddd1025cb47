package io.unichannel.ticket.hub;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A partner's callback endpoint, as the Quarkus REST client calls it (one client per callback URL):
 * each event goes to the listener TMF621 v5 names for it, {@code {callback}/listener/troubleTicketCreateEvent}
 * and so on.
 */
public interface HubCallbackClient {

    @POST
    @Path("listener/{event}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> deliver(@PathParam("event") String listener, @HeaderParam(HubSignature.HEADER) String signature,
            @HeaderParam("X-Hub-Event-Id") String eventId,
            @HeaderParam("X-Hub-Delivery-Id") String deliveryId,
            @HeaderParam("X-Hub-Subscription-Id") String subscriptionId,
            String body);
}
