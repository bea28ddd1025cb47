package io.unichannel.gateway.notify;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How each customer wants to hear from the operator, shared by every replica: the channel to try
 * first, their own quiet hours (instead of the operator's), the categories they opted out of
 * (marketing, survey; one-time codes and service notices are never opted out of) and the
 * channels service notices must not use. Keyed by the customer record that survives merges.
 */
@ApplicationScoped
public class Preferences {

    /** The channels the platform notifies on, in the order tried when the customer names none. */
    public static final List<String> CHANNELS = List.of("app", "wechat", "sms");
    public static final Set<String> CATEGORIES = Set.of("marketing", "survey");

    /** One customer's settings; empty sets and nulls mean "the operator's defaults". */
    public record Settings(String preferredChannel, LocalTime quietStart, LocalTime quietEnd, Set<String> optOut,
            Set<String> mutedChannels, OffsetDateTime updatedAt) {

        static final Settings DEFAULTS = new Settings(null, null, null, Set.of(), Set.of(), null);

        public boolean hasOwnQuietHours() {
            return quietStart != null && quietEnd != null;
        }

        /** The channels to try for a service notice, best first: the preferred one, then the usual order; muted ones left out. */
        public List<String> channelsFor(String fallbackPreferred) {
            String first = preferredChannel != null ? preferredChannel : fallbackPreferred;
            java.util.LinkedHashSet<String> order = new java.util.LinkedHashSet<>();
            if (first != null && CHANNELS.contains(first)) {
                order.add(first);
            }
            order.addAll(CHANNELS);
            order.removeAll(mutedChannels);
            return List.copyOf(order);
        }
    }

    private final PgPool pool;

    public Preferences(PgPool pool) {
        this.pool = pool;
    }

    public Uni<Settings> of(String customerId) {
        return pool.preparedQuery("SELECT * FROM notification_preference WHERE customer_id = $1").execute(Tuple.of(customerId))
                .map(rows -> rows.iterator().hasNext() ? settings(rows.iterator().next()) : Settings.DEFAULTS);
    }

    public Uni<Settings> save(String customerId, Settings s) {
        return pool.preparedQuery("""
                INSERT INTO notification_preference (customer_id, preferred_channel, quiet_start, quiet_end, opt_out,
                    muted_channels, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
                ON CONFLICT (customer_id) DO UPDATE SET preferred_channel = EXCLUDED.preferred_channel,
                    quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end, opt_out = EXCLUDED.opt_out,
                    muted_channels = EXCLUDED.muted_channels, updated_at = now()
                RETURNING *""")
                .execute(Tuple.from(Arrays.asList(customerId, s.preferredChannel(), s.quietStart(), s.quietEnd(),
                        String.join(",", new TreeSet<>(s.optOut())), String.join(",", new TreeSet<>(s.mutedChannels())))))
                .map(rows -> settings(rows.iterator().next()));
    }

    /** Adds opt-outs (an SMS "TD" from the customer's bound number), keeping everything else. */
    public Uni<Void> optOut(String customerId, Set<String> categories) {
        return of(customerId).chain(current -> {
            Set<String> all = new TreeSet<>(current.optOut());
            all.addAll(categories);
            return save(customerId, new Settings(current.preferredChannel(), current.quietStart(), current.quietEnd(), all,
                    current.mutedChannels(), null));
        }).replaceWithVoid();
    }

    /** Whether the customer opted out of a category, here or by a "TD" from their number. */
    public Uni<Boolean> optedOut(String customerId, Optional<String> msisdn, String category) {
        return pool.preparedQuery("""
                SELECT 1 FROM notification_preference WHERE customer_id = $1 AND ',' || opt_out || ',' LIKE '%,' || $3 || ',%'
                UNION ALL SELECT 1 FROM contact_opt_out WHERE msisdn = $2 AND categories LIKE '%' || $3 || '%'""")
                .execute(Tuple.of(customerId, msisdn.orElse(""), category))
                .map(rows -> rows.iterator().hasNext());
    }

    private static Settings settings(Row row) {
        return new Settings(row.getString("preferred_channel"), row.getLocalTime("quiet_start"), row.getLocalTime("quiet_end"),
                split(row.getString("opt_out")), split(row.getString("muted_channels")), row.getOffsetDateTime("updated_at"));
    }

    private static Set<String> split(String list) {
        return list == null || list.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(list.split(",")));
    }
}
