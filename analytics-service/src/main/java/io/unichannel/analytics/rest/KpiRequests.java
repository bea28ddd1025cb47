package io.unichannel.analytics.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;
import io.unichannel.analytics.Dimensions;
import io.unichannel.analytics.Grain;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.KpiQuery;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.common.validation.Text;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Reads a KPI question from its query parameters (the API's and the dashboard's alike) and narrows
 * it to the caller's scope: ops everything, a supervisor their region, an agent their own work.
 */
@ApplicationScoped
public class KpiRequests {

    private final SecurityIdentity identity;
    private final ZoneId zone;

    public KpiRequests(SecurityIdentity identity, @ConfigProperty(name = "analytics.zone") ZoneId zone) {
        this.identity = identity;
        this.zone = zone;
    }

    /** The question; {@code exact} (a replica asking for its part) requires from and to. */
    public KpiQuery read(KpiParams p, boolean exact) {
        return query(p.kpi, p.grain, p.from, p.to, p.channel, p.ticketType, p.region, p.agent, p.team, p.groupBy, exact);
    }

    KpiQuery query(String kpi, String grain, String from, String to, String channel, String ticketType, String region,
            String agent, String team, String groupBy, boolean exact) {
        Set<String> kpis = new LinkedHashSet<>();
        if (kpi == null || kpi.isBlank()) {
            Arrays.stream(Kpi.values()).forEach(k -> kpis.add(k.id()));
        } else {
            for (String id : kpi.split(",", 20)) {
                if (Kpi.byId(id.trim()).isEmpty()) {
                    throw invalid("kpi is a comma-separated list of " + Arrays.stream(Kpi.values()).map(Kpi::id).toList());
                }
                kpis.add(id.trim());
            }
        }
        String g = grain == null ? "live" : grain;
        if (!g.equals("live") && (Grain.byId(g).isEmpty() || g.equals("minute") || g.equals("now"))) {
            throw invalid("grain is live, hour, day or month");
        }
        Instant now = Instant.now();
        Instant end;
        Instant start;
        if (exact && (from == null || to == null)) {
            throw invalid("from and to are required");
        }
        if (g.equals("live") && from == null && to == null) {
            end = now;
            start = now.truncatedTo(ChronoUnit.MINUTES).minus(Grain.LIVE_MINUTES - 1, ChronoUnit.MINUTES);
        } else {
            end = to == null ? now : instant(to, "to");
            start = from == null ? switch (g) {
                case "hour" -> end.minus(24, ChronoUnit.HOURS);
                case "day" -> end.minus(30, ChronoUnit.DAYS);
                case "month" -> end.atZone(zone).minusMonths(12).toInstant();
                default -> end.minus(Grain.LIVE_MINUTES, ChronoUnit.MINUTES);
            } : instant(from, "from");
        }
        if (!start.isBefore(end) || start.plus(800, ChronoUnit.DAYS).isBefore(end)
                || g.equals("hour") && start.plus(62, ChronoUnit.DAYS).isBefore(end)) {
            throw invalid("from comes before to; at most 62 days of hours or 800 days of days and months");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        putFilter(filters, "channel", channel);
        putFilter(filters, "ticketType", ticketType);
        putFilter(filters, "region", region);
        putFilter(filters, "agent", agent);
        putFilter(filters, "team", team);
        scope(filters);
        List<String> groups = new ArrayList<>();
        if (groupBy != null && !groupBy.isBlank()) {
            for (String name : groupBy.split(",", 10)) {
                if (!Dimensions.NAMES.contains(name.trim())) {
                    throw invalid("groupBy names dimensions among " + Dimensions.NAMES);
                }
                if (!groups.contains(name.trim())) {
                    groups.add(name.trim());
                }
            }
        }
        return new KpiQuery(kpis, g, start, end, filters, groups);
    }

    /** Staff see their scope only: a supervisor's region, an agent's own work. */
    private void scope(Map<String, String> filters) {
        if (identity.hasRole(Roles.OPS)) {
            return;
        }
        JsonWebToken token = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
        String ownRegion = token == null ? null : token.getClaim("region");
        if (identity.hasRole(Roles.SUPERVISOR) && ownRegion != null) {
            if (filters.containsKey("region") && !filters.get("region").equals(ownRegion)) {
                throw new ProblemException(ProblemTypes.FORBIDDEN, "Outside your scope", 403,
                        "Supervisors see their own region's KPIs.");
            }
            filters.put("region", ownRegion);
            return;
        }
        String own = token != null && token.getClaim("preferred_username") != null ? token.getClaim("preferred_username")
                : identity.getPrincipal().getName();
        if (filters.containsKey("agent") && !filters.get("agent").equals(own)) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Outside your scope", 403, "Agents see their own KPIs.");
        }
        filters.put("agent", own);
    }

    private static void putFilter(Map<String, String> filters, String name, String value) {
        if (value == null) {
            return;
        }
        if (!Text.isValidRequired(value, 64, false) || value.contains("~") || value.contains("|")) {
            throw invalid(name + " is 1-64 characters of clean text");
        }
        filters.put(name, value);
    }

    private Instant instant(String value, String name) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name + " is a date (YYYY-MM-DD) or an RFC 3339 date-time");
        }
    }

    /** Whether the caller may see an alert: ops all, others those of their region and platform-wide ones. */
    public boolean sees(io.unichannel.analytics.ActiveAlert alert) {
        if (identity.hasRole(Roles.OPS)) {
            return true;
        }
        String own = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("region") : null;
        String region = alert.dimensions().get("region");
        return region == null || region.equals(own);
    }

    /** The JSON answer to a KPI question. */
    static Map<String, Object> answer(KpiQuery query, List<io.unichannel.analytics.KpiRow> rows) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grain", query.grain());
        body.put("from", query.from().toString());
        body.put("to", query.to().toString());
        body.put("groupBy", query.groupBy());
        body.put("scope", query.filters());
        body.put("definitionsVersion", Kpi.DEFINITIONS_VERSION);
        body.put("rows", rows);
        return body;
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not a valid KPI query", 400, detail);
    }
}
