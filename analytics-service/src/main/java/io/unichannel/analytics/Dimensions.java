package io.unichannel.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dimensions every KPI is counted by: the channel the customer used, the ticket (service) type,
 * the region and the agent. A value that is not known is "-". Encoded in store keys with '~'
 * between fields (a character our identifiers never hold).
 */
public record Dimensions(String channel, String ticketType, String region, String agent) {

    public static final List<String> NAMES = List.of("channel", "ticketType", "region", "agent");
    public static final String NONE = "-";

    public Dimensions {
        channel = clean(channel);
        ticketType = clean(ticketType);
        region = clean(region);
        agent = clean(agent);
    }

    public String key() {
        return channel + "~" + ticketType + "~" + region + "~" + agent;
    }

    public static Dimensions fromKey(String key) {
        String[] parts = key.split("~", -1);
        return new Dimensions(parts[0], parts[1], parts[2], parts[3]);
    }

    public String get(String name) {
        return switch (name) {
            case "channel" -> channel;
            case "ticketType" -> ticketType;
            case "region" -> region;
            case "agent" -> agent;
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
