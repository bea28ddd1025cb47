package io.unichannel.analytics.service;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.unichannel.analytics.ActiveAlert;
import io.unichannel.analytics.Dimensions;
import io.unichannel.analytics.Grain;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.KpiQuery;
import io.unichannel.analytics.KpiRow;
import io.unichannel.analytics.Sums;
import io.unichannel.analytics.TicketFacts;
import io.unichannel.analytics.stream.AnalyticsTopology;
import io.unichannel.common.events.Timestamps;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers KPI questions from the topology's stores (interactive queries). The windows of one KPI
 * and dimensions live on the replica that holds their partition, so a question is answered from
 * the local stores and from every other replica's (asked for their part with the caller's own
 * token), and the parts are added up: sums, never averages, so the answer is exact.
 */
@ApplicationScoped
public class KpiStore {

    private final KafkaStreams streams;
    private final ZoneId zone;
    private final String self;

    public KpiStore(KafkaStreams streams, @ConfigProperty(name = "analytics.zone") ZoneId zone,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") String self) {
        this.streams = streams;
        this.zone = zone;
        this.self = self;
    }

    /** The whole answer: this replica's part and every other replica's, added up, in window order. */
    public List<KpiRow> answer(KpiQuery query, String authorization) {
        Map<String, KpiRow> rows = new LinkedHashMap<>();
        for (KpiRow row : part(query)) {
            rows.merge(row.groupKey(), row, KpiStore::add);
        }
        for (HostInfo peer : peers()) {
            for (KpiRow row : peerPart(peer, query, authorization)) {
                rows.merge(row.groupKey(), row, KpiStore::add);
            }
        }
        List<KpiRow> out = new ArrayList<>();
        for (KpiRow row : rows.values()) {
            Kpi kpi = Kpi.byId(row.kpi()).orElseThrow();
            out.add(KpiRow.of(kpi, row.windowStart(), row.windowEnd(), row.dimensions(), row.sums()));
        }
        out.sort(Comparator.comparing(KpiRow::kpi).thenComparing(KpiRow::windowStart)
                .thenComparing(r -> r.dimensions().toString()));
        return out;
    }

    /** This replica's part of the answer: sums per KPI, window and group. */
    public List<KpiRow> part(KpiQuery query) {
        ReadOnlyKeyValueStore<String, Sums> buckets = store(AnalyticsTopology.BUCKETS_STORE);
        Map<String, KpiRow> rows = new LinkedHashMap<>();
        boolean live = query.grain().equals("live");
        Grain grain = live ? Grain.MINUTE : Grain.byId(query.grain()).orElseThrow();
        for (String kpiId : query.kpis()) {
            Kpi kpi = Kpi.byId(kpiId).orElseThrow();
            Grain g = kpi.shape() == Kpi.Shape.GAUGE ? Grain.NOW : grain;
            Instant from = g == Grain.NOW ? Instant.EPOCH : g.start(query.from(), zone);
            Instant last = g == Grain.NOW ? Instant.EPOCH : g.start(query.to().minusMillis(1), zone);
            try (var range = buckets.range(g.prefix(from), g.prefix(last) + "\uffff")) {
                while (range.hasNext()) {
                    var entry = range.next();
                    String[] parts = entry.key.split("\\|", 4);
                    if (!parts[2].equals(kpiId)) {
                        continue;
                    }
                    Dimensions dims = Dimensions.fromKey(parts[3]);
                    if (!query.accepts(dims)) {
                        continue;
                    }
                    Instant start = Instant.ofEpochSecond(Long.parseLong(parts[1]));
                    String windowStart;
                    String windowEnd;
                    if (g == Grain.NOW) {
                        windowStart = windowEnd = Timestamps.rfc3339(query.to().atOffset(ZoneOffset.UTC));
                    } else if (live) {
                        windowStart = Timestamps.rfc3339(query.from().atOffset(ZoneOffset.UTC));
                        windowEnd = Timestamps.rfc3339(query.to().atOffset(ZoneOffset.UTC));
                    } else {
                        windowStart = Timestamps.rfc3339(start.atOffset(ZoneOffset.UTC));
                        windowEnd = Timestamps.rfc3339(g.next(start, zone).atOffset(ZoneOffset.UTC));
                    }
                    KpiRow row = KpiRow.of(kpi, windowStart, windowEnd, dims.project(query.groupBy()), entry.value);
                    rows.merge(row.groupKey(), row, KpiStore::add);
                }
            }
        }
        return new ArrayList<>(rows.values());
    }

    <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        // Just after start or during a rebalance the stores come back within seconds: wait a little first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (IllegalStateException e) {
            // Kafka Streams not running here (stopped after repeated failures, or shutting down):
            // the KPIs are unavailable on this replica, which says so instead of failing.
            throw new ProblemException(new io.unichannel.common.problem.Problem(ProblemTypes.SERVICE_UNAVAILABLE,
                    "KPIs unavailable", 503, "The KPI stores are not running on this replica; ask again shortly.")
                    .with("retryAfterSeconds", 5));
        } catch (InvalidStateStoreException e) {
            throw new ProblemException(ProblemTypes.SERVICE_UNAVAILABLE, "KPIs are being rebalanced", 503,
                    "The KPI stores are moving between replicas; ask again in a few seconds.");
        }
    }

    /** The other replicas of this application that hold part of the stores. */
    List<HostInfo> peers() {
        List<HostInfo> peers = new ArrayList<>();
        for (var client : streams.metadataForAllStreamsClients()) {
            HostInfo host = client.hostInfo();
            if (!(host.host() + ":" + host.port()).equals(self) && host.port() > 0) {
                peers.add(host);
            }
        }
        return peers;
    }

    /** The most tickets a drill-down lists (the newest first). */
    public static final int DRILL_DOWN_LIMIT = 200;

    /**
     * The tickets behind a number, from every replica: the backlog's open tickets, or the tickets
     * opened in the question's period, narrowed by its dimensions; the newest first.
     */
    public List<TicketFacts> tickets(KpiQuery query, String authorization) {
        List<TicketFacts> out = new ArrayList<>(localTickets(query));
        for (HostInfo peer : peers()) {
            try {
                out.addAll(client(peer).tickets(authorization, String.join(",", query.kpis()), query.grain(),
                        query.from().toString(), query.to().toString(), query.filters().get("channel"),
                        query.filters().get("ticketType"), query.filters().get("region"), query.filters().get("agent"),
                        query.filters().get("team")));
            } catch (RuntimeException e) {
                throw unanswered(peer, e);
            }
        }
        return out.stream().sorted(Comparator.comparingLong(TicketFacts::createdAt).reversed()).limit(DRILL_DOWN_LIMIT).toList();
    }

    /** This replica's tickets behind a number. */
    public List<TicketFacts> localTickets(KpiQuery query) {
        ReadOnlyKeyValueStore<String, TicketFacts> tickets = store(AnalyticsTopology.TICKETS_STORE);
        boolean backlog = query.kpis().equals(java.util.Set.of(Kpi.BACKLOG.id()));
        List<TicketFacts> out = new ArrayList<>();
        try (var all = tickets.all()) {
            while (all.hasNext()) {
                TicketFacts t = all.next().value;
                boolean inPeriod = backlog ? t.open()
                        : t.createdAt() >= query.from().toEpochMilli() && t.createdAt() < query.to().toEpochMilli();
                if (inPeriod && query.accepts(t.dimensions())) {
                    out.add(t);
                }
            }
        }
        return out.stream().sorted(Comparator.comparingLong(TicketFacts::createdAt).reversed()).limit(DRILL_DOWN_LIMIT).toList();
    }

    /** Every raised alert, on whichever replica watches it; {@code region} narrows to one region's (null: all). */
    public List<ActiveAlert> alerts(String authorization, java.util.function.Predicate<ActiveAlert> visible) {
        List<ActiveAlert> out = new ArrayList<>(localAlerts());
        for (HostInfo peer : peers()) {
            try {
                out.addAll(client(peer).alerts(authorization));
            } catch (RuntimeException e) {
                throw unanswered(peer, e);
            }
        }
        return out.stream().filter(visible).sorted(Comparator.comparing(ActiveAlert::raisedAt).reversed()).toList();
    }

    /** The raised alerts this replica watches. */
    public List<ActiveAlert> localAlerts() {
        ReadOnlyKeyValueStore<String, io.unichannel.analytics.stream.AlertWatch.Watch> state = store(AnalyticsTopology.ALERT_STATE_STORE);
        List<ActiveAlert> out = new ArrayList<>();
        try (var all = state.all()) {
            while (all.hasNext()) {
                var watch = all.next().value;
                if (watch.alertId() != null) {
                    out.add(new ActiveAlert(watch.alertId(), watch.ruleId(), watch.dimensions(), watch.value(), watch.sampleSize(),
                            Timestamps.rfc3339(Instant.ofEpochMilli(watch.raisedAt()).atOffset(ZoneOffset.UTC))));
                }
            }
        }
        return out;
    }

    private static PeerClient client(HostInfo peer) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create("http://" + peer.host() + ":" + peer.port()))
                .connectTimeout(2, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS).build(PeerClient.class);
    }

    private static ProblemException unanswered(HostInfo peer, RuntimeException e) {
        Log.warnf("Replica %s:%d did not answer its part (%s)", peer.host(), peer.port(), e.getMessage());
        return new ProblemException(ProblemTypes.SERVICE_UNAVAILABLE, "A replica did not answer", 503,
                "Part of the answer is held by a replica that did not answer; ask again in a few seconds.");
    }

    private List<KpiRow> peerPart(HostInfo peer, KpiQuery query, String authorization) {
        PeerClient client = client(peer);
        try {
            return client.part(authorization, String.join(",", query.kpis()), query.grain(), query.from().toString(),
                    query.to().toString(), query.filters().get("channel"), query.filters().get("ticketType"),
                    query.filters().get("region"), query.filters().get("agent"), query.filters().get("team"),
                    String.join(",", query.groupBy()));
        } catch (RuntimeException e) {
            throw unanswered(peer, e);
        }
    }

    private static KpiRow add(KpiRow a, KpiRow b) {
        Sums sums = a.sums().plus(b.sums());
        return new KpiRow(a.kpi(), a.windowStart(), a.windowEnd(), a.dimensions(), null, a.unit(), null,
                sums.numerator(), sums.denominator(), sums.sum(), sums.count());
    }
}
