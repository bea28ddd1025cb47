package io.unichannel.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dimensions every KPI is counted by: the channel the customer used, the ticket (service) type,
 * the region, the agent and the team (the routing queue that took the ticket: the agent group that
 * works it; known from the routing decision on, so KPIs counted at opening have none). A value
 * that is not known is "-". Encoded in store keys with '~'
 * between fields (a character our identifiers never hold).
 */
public record Dimensions(String channel, String ticketType, String region, String agent, String team) {

    public static final List<String> NAMES = List.of("channel", "ticketType", "region", "agent", "team");
    public static final String NONE = "-";

    public Dimensions {
        channel = clean(channel);
        ticketType = clean(ticketType);
        region = clean(region);
        agent = clean(agent);
        team = clean(team);
    }

    /** Without a team (calls and survey answers, and tickets before routing). */
    public Dimensions(String channel, String ticketType, String region, String agent) {
        this(channel, ticketType, region, agent, null);
    }

    public String key() {
        return channel + "~" + ticketType + "~" + region + "~" + agent + "~" + team;
    }

    public static Dimensions fromKey(String key) {
        String[] parts = key.split("~", -1);
        // Keys written before teams were counted have four parts.
        return new Dimensions(parts[0], parts[1], parts[2], parts[3], parts.length > 4 ? parts[4] : null);
    }

    public String get(String name) {
        return switch (name) {
            case "channel" -> channel;
            case "ticketType" -> ticketType;
            case "region" -> region;
            case "agent" -> agent;
            case "team" -> team;
            default -> throw new IllegalArgumentException("no dimension " + name);
        };
    }

    /** Only the named dimensions, in the order given (for grouping and for alert rules). */
    public Map<String, String> project(List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, get(name));
        }
        return out;
    }

    private static String clean(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.replace('~', '_').replace('|', '_');
        return v.length() > 64 ? v.substring(0, 64) : v;
    }
}
