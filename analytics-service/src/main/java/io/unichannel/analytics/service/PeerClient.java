package io.unichannel.analytics.service;

import java.util.List;

import io.unichannel.analytics.ActiveAlert;
import io.unichannel.analytics.KpiRow;
import io.unichannel.analytics.TicketFacts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** Another replica of analytics-service, asked for its part of an answer with the caller's token. */
public interface PeerClient {

    @GET
    @Path("/api/v1/kpis/parts")
    List<KpiRow> part(@HeaderParam("Authorization") String authorization, @QueryParam("kpi") String kpi,
            @QueryParam("grain") String grain, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("channel") String channel, @QueryParam("ticketType") String ticketType,
            @QueryParam("region") String region, @QueryParam("agent") String agent, @QueryParam("team") String team,
            @QueryParam("groupBy") String groupBy);

    @GET
    @Path("/api/v1/kpi-tickets/parts")
    List<TicketFacts> tickets(@HeaderParam("Authorization") String authorization, @QueryParam("kpi") String kpi,
            @QueryParam("grain") String grain, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("channel") String channel, @QueryParam("ticketType") String ticketType,
            @QueryParam("region") String region, @QueryParam("agent") String agent, @QueryParam("team") String team);

    @GET
    @Path("/api/v1/alerts/parts")
    List<ActiveAlert> alerts(@HeaderParam("Authorization") String authorization);
}
