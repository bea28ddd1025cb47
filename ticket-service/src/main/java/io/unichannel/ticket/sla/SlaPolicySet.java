package io.unichannel.ticket.sla;

import java.io.IOException;
import java.io.InputStream;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One version of the SLA rules: business calendars per region, policies (first match wins) with
 * targets per metric, regulatory clocks (every one that matches applies, always in calendar time),
 * and the warning and escalation ladder. Read from JSON; anything inconsistent is refused as a
 * whole, so a bad edit never replaces working rules.
 */
public final class SlaPolicySet {

    /** Time basis of a target. */
    public enum Basis {
        BUSINESS, CALENDAR
    }

    /** What happens when a clock reaches a stage. */
    public enum Action {
        WARN, BREACH, RAISE_PRIORITY, REASSIGN, PAGE
    }

    /** Which tickets a policy or regulatory clock applies to; an empty list matches anything. */
    public record Match(List<String> ticketType, List<String> severity, List<String> priority,
            List<String> customerTier, List<String> channel, List<String> region, List<String> category) {

        public boolean matches(TicketFacts t) {
            return in(ticketType, t.ticketType()) && in(severity, t.severity()) && in(priority, t.priority())
                    && in(customerTier, t.customerTier()) && in(channel, t.channel()) && regionIn(t.region())
                    && in(category, t.category());
        }

        private static boolean in(List<String> allowed, String value) {
            return allowed == null || allowed.isEmpty() || (value != null && allowed.contains(value));
        }

        private boolean regionIn(String value) {
            if (region == null || region.isEmpty()) {
                return true;
            }
            return value != null && region.stream().anyMatch(r -> r.endsWith("*")
                    ? value.startsWith(r.substring(0, r.length() - 1)) : r.equals(value));
        }
    }

    /** A target of a policy: the metric, how long, and in which time. */
    public record Target(SlaMetric metric, Duration within, String withinText, Basis basis) {
    }

    /** A policy; {@code calendar} (optional) overrides the region's calendar for its business-time targets. */
    public record Policy(String id, Match match, String calendar, String responsible, List<Target> targets, List<Stage> ladder) {
    }

    /** A legal limit: always calendar time, never paused. */
    public record Regulatory(String id, Match match, SlaMetric metric, Duration within, String withinText,
            String responsible) {
    }

    /** A step of the ladder: at this fraction of the target, do this and tell these people. */
    public record Stage(double at, Action action, List<String> recipients, String group) {
    }

    /** The attributes of a ticket that select its policy. */
    public record TicketFacts(String ticketType, String severity, String priority, String customerTier,
            String channel, String region, String category) {

        public TicketFacts(String ticketType, String severity, String priority, String customerTier, String channel,
                String region) {
            this(ticketType, severity, priority, customerTier, channel, region, null);
        }
    }

    private final String version;
    private final Map<String, BusinessCalendar> calendars;
    private final Map<String, String> regionCalendar;
    private final String defaultCalendar;
    private final List<Policy> policies;
    private final List<Regulatory> regulatory;
    private final List<Stage> ladder;
    private final List<Stage> regulatoryLadder;

    private SlaPolicySet(String version, Map<String, BusinessCalendar> calendars, Map<String, String> regionCalendar,
            String defaultCalendar, List<Policy> policies, List<Regulatory> regulatory, List<Stage> ladder,
            List<Stage> regulatoryLadder) {
        this.version = version;
        this.calendars = calendars;
        this.regionCalendar = regionCalendar;
        this.defaultCalendar = defaultCalendar;
        this.policies = policies;
        this.regulatory = regulatory;
        this.ladder = ladder;
        this.regulatoryLadder = regulatoryLadder;
    }

    public String version() {
        return version;
    }

    public List<Policy> policies() {
        return policies;
    }

    public Map<String, BusinessCalendar> calendars() {
        return calendars;
    }

    /** The first policy that matches (the file ends with a catch-all, so there always is one). */
    public Policy policyFor(TicketFacts ticket) {
        return policies.stream().filter(p -> p.match().matches(ticket)).findFirst().orElseThrow();
    }

    public List<Regulatory> regulatoryFor(TicketFacts ticket) {
        return regulatory.stream().filter(r -> r.match().matches(ticket)).toList();
    }

    public Optional<Policy> policy(String id) {
        return policies.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Optional<Regulatory> regulatory(String id) {
        return regulatory.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The calendar of a region (its own, else the default). */
    public BusinessCalendar calendarFor(String region) {
        String id = region == null ? null : regionCalendar.get(region);
        if (id == null && region != null) {
            id = regionCalendar.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("*") && region.startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return calendars.get(id != null ? id : defaultCalendar);
    }

    /** The calendar a policy's business-time targets count in, for a ticket of this region. */
    public BusinessCalendar calendarFor(Policy policy, String region) {
        return policy.calendar() != null ? calendars.get(policy.calendar()) : calendarFor(region);
    }

    /** A calendar by id; {@link BusinessCalendar#CONTINUOUS} for calendar time or one no longer defined. */
    public BusinessCalendar calendar(String id) {
        return calendars.getOrDefault(id, BusinessCalendar.CONTINUOUS);
    }

    /** The ladder a clock climbs: the regulatory one, the policy's own, or the default. */
    public List<Stage> ladderFor(boolean isRegulatory, String policyId) {
        if (isRegulatory) {
            return regulatoryLadder;
        }
        return policy(policyId).map(Policy::ladder).filter(l -> !l.isEmpty()).orElse(ladder);
    }

    // ---- reading the JSON document ----

    @JsonIgnoreProperties(ignoreUnknown = false)
    record Document(String version, String description, List<CalendarDoc> calendars, String defaultCalendar, List<PolicyDoc> policies,
            List<RegulatoryDoc> regulatory, List<StageDoc> ladder, List<StageDoc> regulatoryLadder) {
    }

    record CalendarDoc(String id, String description, String zone, Map<String, List<String>> week, List<String> holidays,
            List<String> workdays, List<String> workdayHours, List<String> regions) {
    }

    record PolicyDoc(String id, Match match, String calendar, String responsible, List<TargetDoc> targets, List<StageDoc> ladder) {
    }

    record TargetDoc(String metric, String within, String time) {
    }

    record RegulatoryDoc(String id, Match match, String metric, String within, String responsible) {
    }

    record StageDoc(double at, String action, @com.fasterxml.jackson.annotation.JsonProperty("notify") List<String> recipients, String group) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final Set<String> RECIPIENTS = Set.of("assignee", "supervisor", "responsible");

    /** Reads and checks a policy document; any problem is an {@link IllegalArgumentException} naming it. */
    public static SlaPolicySet read(InputStream in) {
        Document doc;
        try {
            doc = JSON.readValue(in, Document.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("SLA policies are not valid JSON of the expected shape: " + e.getMessage(), e);
        }
        return of(doc);
    }

    private static SlaPolicySet of(Document doc) {
        require(doc.version() != null && !doc.version().isBlank(), "version is required");
        require(doc.calendars() != null && !doc.calendars().isEmpty(), "at least one calendar is required");
        Map<String, BusinessCalendar> calendars = new LinkedHashMap<>();
        Map<String, String> regionCalendar = new LinkedHashMap<>();
        for (CalendarDoc c : doc.calendars()) {
            require(c.id() != null && !c.id().isBlank() && !"continuous".equals(c.id()), "a calendar needs an id");
            require(!calendars.containsKey(c.id()), "calendar " + c.id() + " is defined twice");
            calendars.put(c.id(), calendar(c));
            for (String region : list(c.regions())) {
                require(regionCalendar.put(region, c.id()) == null, "region " + region + " has two calendars");
            }
        }
        require(doc.defaultCalendar() != null && calendars.containsKey(doc.defaultCalendar()),
                "defaultCalendar must name one of the calendars");
        List<Stage> ladder = ladder(doc.ladder(), "ladder");
        require(!ladder.isEmpty(), "the default ladder is required");
        List<Stage> regulatoryLadder = doc.regulatoryLadder() == null ? ladder : ladder(doc.regulatoryLadder(), "regulatoryLadder");
        require(doc.policies() != null && !doc.policies().isEmpty(), "at least one policy is required");
        List<Policy> policies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (PolicyDoc p : doc.policies()) {
            require(p.id() != null && !p.id().isBlank() && ids.add(p.id()), "each policy needs a unique id");
            require(p.targets() != null && !p.targets().isEmpty(), "policy " + p.id() + " has no targets");
            List<Target> targets = new ArrayList<>();
            Set<SlaMetric> metrics = new HashSet<>();
            for (TargetDoc t : p.targets()) {
                SlaMetric metric = metric(t.metric(), p.id());
                require(metrics.add(metric), "policy " + p.id() + " sets " + t.metric() + " twice");
                Basis basis = t.time() == null ? Basis.BUSINESS : basis(t.time(), p.id());
                targets.add(new Target(metric, duration(t.within(), p.id()), t.within(), basis));
            }
            require(metrics.contains(SlaMetric.RESOLUTION), "policy " + p.id() + " needs a resolution target");
            require(p.calendar() == null || calendars.containsKey(p.calendar()), "policy " + p.id() + " names an unknown calendar");
            policies.add(new Policy(p.id(), match(p.match()), p.calendar(), p.responsible(), List.copyOf(targets),
                    ladder(p.ladder(), "ladder of " + p.id())));
        }
        Policy last = policies.get(policies.size() - 1);
        require(isCatchAll(last.match()), "the last policy must match every ticket (an empty match)");
        List<Regulatory> regulatory = new ArrayList<>();
        for (RegulatoryDoc r : list(doc.regulatory())) {
            require(r.id() != null && !r.id().isBlank() && ids.add(r.id()), "each regulatory clock needs a unique id");
            regulatory.add(new Regulatory(r.id(), match(r.match()), metric(r.metric(), r.id()),
                    duration(r.within(), r.id()), r.within(), r.responsible()));
        }
        return new SlaPolicySet(doc.version(), Map.copyOf(calendars), Map.copyOf(regionCalendar), doc.defaultCalendar(),
                List.copyOf(policies), List.copyOf(regulatory), ladder, regulatoryLadder);
    }

    private static boolean isCatchAll(Match m) {
        return m.ticketType().isEmpty() && m.severity().isEmpty() && m.priority().isEmpty()
                && m.customerTier().isEmpty() && m.channel().isEmpty() && m.region().isEmpty() && m.category().isEmpty();
    }

    private static Match match(Match m) {
        if (m == null) {
            return new Match(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
        return new Match(list(m.ticketType()), list(m.severity()), list(m.priority()), list(m.customerTier()),
                list(m.channel()), list(m.region()), list(m.category()));
    }

    private static BusinessCalendar calendar(CalendarDoc c) {
        ZoneId zone;
        try {
            zone = ZoneId.of(c.zone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("calendar " + c.id() + ": '" + c.zone() + "' is not a time zone");
        }
        Map<DayOfWeek, List<BusinessCalendar.Shift>> week = new EnumMap<>(DayOfWeek.class);
        if (c.week() != null) {
            c.week().forEach((day, shifts) -> {
                DayOfWeek dow;
                try {
                    dow = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("calendar " + c.id() + ": '" + day + "' is not a weekday");
                }
                week.put(dow, shifts(c.id(), shifts));
            });
        }
        try {
            return new BusinessCalendar(c.id(), zone, week, dates(c.id(), c.holidays()), dates(c.id(), c.workdays()),
                    shifts(c.id(), c.workdayHours()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("calendar " + c.id() + ": " + e.getMessage(), e);
        }
    }

    private static List<BusinessCalendar.Shift> shifts(String calendar, List<String> texts) {
        try {
            return list(texts).stream().map(BusinessCalendar.Shift::parse).toList();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("calendar " + calendar + ": " + e.getMessage(), e);
        }
    }

    private static Set<LocalDate> dates(String calendar, List<String> texts) {
        try {
            return Set.copyOf(list(texts).stream().map(LocalDate::parse).toList());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("calendar " + calendar + ": dates must be like 2026-10-01", e);
        }
    }

    private static List<Stage> ladder(List<StageDoc> stages, String where) {
        List<Stage> ladder = new ArrayList<>();
        double previous = 0;
        boolean breach = false;
        for (StageDoc s : list(stages)) {
            require(s.at() > previous && s.at() <= 10, where + ": stages must climb, each 'at' above the last and at most 10");
            Action action;
            try {
                action = Action.valueOf(s.action().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ": '" + s.action() + "' is not warn, breach, raisePriority, reassign or page");
            }
            require(action != Action.BREACH || s.at() == 1.0, where + ": the breach stage is at 1.0");
            require(action == Action.WARN ? s.at() < 1.0 : s.at() >= 1.0, where + ": warnings come before 1.0, escalations from 1.0");
            require(action != Action.REASSIGN || (s.group() != null && !s.group().isBlank()), where + ": reassign needs a group");
            for (String who : list(s.recipients())) {
                require(RECIPIENTS.contains(who), where + ": notify names assignee, supervisor or responsible, not " + who);
            }
            breach |= action == Action.BREACH;
            ladder.add(new Stage(s.at(), action, list(s.recipients()), s.group()));
            previous = s.at();
        }
        require(ladder.isEmpty() || breach, where + ": a ladder needs its breach stage");
        return List.copyOf(ladder);
    }

    private static SlaMetric metric(String name, String where) {
        return SlaMetric.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                where + ": '" + name + "' is not firstResponse, periodicUpdate, resolution or feedback"));
    }

    private static Basis basis(String name, String where) {
        return switch (name) {
            case "business" -> Basis.BUSINESS;
            case "calendar" -> Basis.CALENDAR;
            default -> throw new IllegalArgumentException(where + ": time is business or calendar, not " + name);
        };
    }

    private static Duration duration(String text, String where) {
        try {
            Duration d = Duration.parse(text);
            require(!d.isNegative() && !d.isZero(), where + ": a target must be positive");
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not an ISO-8601 duration like PT4H or P3D");
        }
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
