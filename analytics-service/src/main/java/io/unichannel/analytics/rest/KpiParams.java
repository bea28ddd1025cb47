package io.unichannel.analytics.rest;

import jakarta.ws.rs.QueryParam;

/** The query parameters of a KPI question, as the API and the dashboard take them. */
public class KpiParams {

    @QueryParam("kpi")
    String kpi;
    @QueryParam("grain")
    String grain;
    @QueryParam("from")
    String from;
    @QueryParam("to")
    String to;
    @QueryParam("channel")
    String channel;
    @QueryParam("ticketType")
    String ticketType;
    @QueryParam("region")
    String region;
    @QueryParam("agent")
    String agent;
    @QueryParam("team")
    String team;
    @QueryParam("groupBy")
    String groupBy;
}
