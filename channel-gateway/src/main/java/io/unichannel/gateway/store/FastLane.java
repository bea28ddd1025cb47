package io.unichannel.gateway.store;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The stores' VIP fast lane: each store's opening hours cut into slots with a capacity; a
 * high-value customer books one place in one slot (one booking a day), may cancel it before it
 * starts, and is checked in by a counter agent of the store's region. Places are counted in
 * PostgreSQL in the transaction that books them, so however many replicas take bookings at once a
 * slot is never overbooked.
 */
@ApplicationScoped
public class FastLane {

    /** How far ahead a slot may be booked. */
    static final int HORIZON_DAYS = 14;

    public record Store(String storeId, String name, String region, LocalTime opens, LocalTime closes, int slotMinutes,
            int capacity) {
    }

    public record Slot(OffsetDateTime start, OffsetDateTime end, int capacity, int remaining) {
    }

    public record Booking(UUID id, String storeId, String storeName, OffsetDateTime slotStart, OffsetDateTime slotEnd,
            String customerId, String status, OffsetDateTime bookedAt, OffsetDateTime checkedInAt, String checkedInBy) {
    }

    private final PgPool pool;
    private final Clock clock;
    private final ZoneId zone;

    public FastLane(PgPool pool, Clock clock, @ConfigProperty(name = "gateway.time-zone") ZoneId zone) {
        this.pool = pool;
        this.clock = clock;
        this.zone = zone;
    }

    public Uni<Store> define(Store s) {
        return pool.preparedQuery("""
                INSERT INTO store (store_id, name, region, opens, closes, slot_minutes, capacity, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                ON CONFLICT (store_id) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region, opens = EXCLUDED.opens,
                    closes = EXCLUDED.closes, slot_minutes = EXCLUDED.slot_minutes, capacity = EXCLUDED.capacity, updated_at = now()
                RETURNING *""")
                .execute(Tuple.from(List.of(s.storeId(), s.name(), s.region(), s.opens(), s.closes(), s.slotMinutes(), s.capacity())))
                .map(rows -> store(rows.iterator().next()));
    }

    public Uni<List<Store>> stores(Optional<String> region) {
        return pool.preparedQuery("SELECT * FROM store WHERE $1::varchar IS NULL OR region = $1 ORDER BY store_id LIMIT 500")
                .execute(Tuple.of(region.orElse(null)))
                .map(rows -> {
                    List<Store> list = new ArrayList<>();
                    rows.forEach(row -> list.add(store(row)));
                    return list;
                });
    }

    public Uni<Store> store(String storeId) {
        return store(pool, storeId);
    }

    private static Uni<Store> store(SqlClient client, String storeId) {
        return client.preparedQuery("SELECT * FROM store WHERE store_id = $1").execute(Tuple.of(storeId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new ProblemException(ProblemTypes.NOT_FOUND, "Store not found", 404, "There is no store " + storeId + ".");
                    }
                    return store(rows.iterator().next());
                });
    }

    /** A day's slots at a store with the places left in each. */
    public Uni<List<Slot>> slots(String storeId, LocalDate day) {
        return store(storeId).chain(s -> pool.preparedQuery(
                "SELECT slot_start, booked FROM fast_lane_slot WHERE store_id = $1 AND slot_start >= $2 AND slot_start < $3")
                .execute(Tuple.of(storeId, offset(day.atStartOfDay(zone)), offset(day.plusDays(1).atStartOfDay(zone))))
                .map(rows -> {
                    Map<OffsetDateTime, Integer> booked = new HashMap<>();
                    rows.forEach(row -> booked.put(row.getOffsetDateTime("slot_start").withOffsetSameInstant(ZoneOffset.UTC),
                            row.getInteger("booked")));
                    List<Slot> slots = new ArrayList<>();
                    for (ZonedDateTime start = day.atTime(s.opens()).atZone(zone);
                            !start.plusMinutes(s.slotMinutes()).toLocalTime().isAfter(s.closes())
                                    && start.toLocalDate().equals(day);
                            start = start.plusMinutes(s.slotMinutes())) {
                        OffsetDateTime at = offset(start);
                        int taken = booked.getOrDefault(at, 0);
                        slots.add(new Slot(start.toOffsetDateTime(), start.plusMinutes(s.slotMinutes()).toOffsetDateTime(),
                                s.capacity(), Math.max(0, s.capacity() - taken)));
                    }
                    return slots;
                }));
    }

    /** Books one place for the customer; 409 when the slot is full or they already hold a booking that day. */
    public Uni<Booking> book(String customerId, String storeId, OffsetDateTime slotStart) {
        return pool.withTransaction(tx -> store(tx, storeId).chain(s -> {
            ZonedDateTime local = slotStart.atZoneSameInstant(zone);
            validSlot(s, local);
            return tx.preparedQuery("""
                    INSERT INTO fast_lane_slot (store_id, slot_start, booked) VALUES ($1, $2, 1)
                    ON CONFLICT (store_id, slot_start) DO UPDATE SET booked = fast_lane_slot.booked + 1
                        WHERE fast_lane_slot.booked < $3
                    RETURNING booked""")
                    .execute(Tuple.of(storeId, offset(local), s.capacity()))
                    .chain(rows -> {
                        if (rows.rowCount() == 0) {
                            throw new ProblemException(ProblemTypes.CONFLICT, "Slot full", 409,
                                    "Every fast-lane place at " + local.toLocalTime() + " is taken; choose another slot.");
                        }
                        return tx.preparedQuery("""
                                INSERT INTO fast_lane_booking (id, store_id, slot_start, slot_day, customer_id, status, booked_at)
                                VALUES ($1, $2, $3, $4, $5, 'booked', now()) RETURNING *""")
                                .execute(Tuple.of(UUID.randomUUID(), storeId, offset(local), local.toLocalDate(), customerId));
                    })
                    .map(rows -> booking(rows.iterator().next(), s));
        })).onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
                .transform(e -> new ProblemException(ProblemTypes.CONFLICT, "Already booked", 409,
                        "You already hold a fast-lane booking that day; cancel it to choose another slot."));
    }

    private void validSlot(Store s, ZonedDateTime local) {
        ZonedDateTime now = clock.instant().atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean onGrid = local.getSecond() == 0 && local.getNano() == 0 && !time.isBefore(s.opens())
                && Duration.between(s.opens(), time).toMinutes() % s.slotMinutes() == 0
                && !time.plusMinutes(s.slotMinutes()).isAfter(s.closes()) && time.plusMinutes(s.slotMinutes()).isAfter(time);
        if (!onGrid) {
            throw invalid("The store's fast lane has slots of " + s.slotMinutes() + " minutes from " + s.opens() + " to "
                    + s.closes() + "; " + time + " is not one of them.");
        }
        if (!local.isAfter(now)) {
            throw invalid("That slot has already started.");
        }
        if (local.isAfter(now.plusDays(HORIZON_DAYS))) {
            throw invalid("Slots can be booked up to " + HORIZON_DAYS + " days ahead.");
        }
    }

    /** The customer's bookings, the latest slots first. */
    public Uni<List<Booking>> of(List<String> customerIds) {
        return pool.preparedQuery("""
                SELECT b.*, s.name, s.slot_minutes FROM fast_lane_booking b JOIN store s USING (store_id)
                WHERE b.customer_id = ANY($1) ORDER BY b.slot_start DESC LIMIT 50""")
                .execute(Tuple.of(customerIds.toArray(String[]::new))).map(this::bookings);
    }

    /** A store's bookings on a day, by slot (the counter's list). */
    public Uni<List<Booking>> atStore(String storeId, LocalDate day) {
        return pool.preparedQuery("""
                SELECT b.*, s.name, s.slot_minutes FROM fast_lane_booking b JOIN store s USING (store_id)
                WHERE b.store_id = $1 AND b.slot_day = $2 ORDER BY b.slot_start, b.booked_at""")
                .execute(Tuple.of(storeId, day)).map(this::bookings);
    }

    /** Cancels one of the customer's bookings before its slot starts, freeing the place. */
    public Uni<Void> cancel(List<String> customerIds, UUID id) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE fast_lane_booking SET status = 'cancelled' WHERE id = $1 AND customer_id = ANY($2) AND status = 'booked'
                    AND slot_start > $3 RETURNING store_id, slot_start""")
                .execute(Tuple.of(id, customerIds.toArray(String[]::new), offset(clock.instant().atZone(zone))))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(ProblemTypes.NOT_FOUND, "Booking not found", 404,
                                "You have no booking " + id + " that can still be cancelled.");
                    }
                    Row row = rows.iterator().next();
                    return tx.preparedQuery("UPDATE fast_lane_slot SET booked = booked - 1 WHERE store_id = $1 AND slot_start = $2")
                            .execute(Tuple.of(row.getString("store_id"), row.getOffsetDateTime("slot_start")));
                })).replaceWithVoid();
    }

    /** The booking (any status), for staff to check against their scope. */
    public Uni<Optional<Booking>> find(UUID id) {
        return pool.preparedQuery("""
                SELECT b.*, s.name, s.slot_minutes FROM fast_lane_booking b JOIN store s USING (store_id) WHERE b.id = $1""")
                .execute(Tuple.of(id)).map(rows -> bookings(rows).stream().findFirst());
    }

    /** The counter agent checks the customer in (once; a cancelled booking cannot be). */
    public Uni<Booking> checkIn(UUID id, String agent) {
        return pool.preparedQuery("""
                UPDATE fast_lane_booking SET status = 'checked-in', checked_in_at = now(), checked_in_by = $2
                WHERE id = $1 AND status = 'booked' RETURNING id""")
                .execute(Tuple.of(id, agent))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(new Problem(ProblemTypes.CONFLICT, "Not checked in", 409,
                                "The booking is cancelled or already checked in."));
                    }
                    return find(id).map(Optional::orElseThrow);
                });
    }

    private List<Booking> bookings(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Booking> list = new ArrayList<>();
        for (Row row : rows) {
            OffsetDateTime start = row.getOffsetDateTime("slot_start").atZoneSameInstant(zone).toOffsetDateTime();
            list.add(new Booking(row.getUUID("id"), row.getString("store_id"), row.getString("name"), start,
                    start.plusMinutes(row.getInteger("slot_minutes")), row.getString("customer_id"), row.getString("status"),
                    row.getOffsetDateTime("booked_at"), row.getOffsetDateTime("checked_in_at"), row.getString("checked_in_by")));
        }
        return list;
    }

    private static Booking booking(Row row, Store s) {
        OffsetDateTime start = row.getOffsetDateTime("slot_start");
        return new Booking(row.getUUID("id"), s.storeId(), s.name(), start, start.plusMinutes(s.slotMinutes()),
                row.getString("customer_id"), row.getString("status"), row.getOffsetDateTime("booked_at"), null, null);
    }

    private static Store store(Row row) {
        return new Store(row.getString("store_id"), row.getString("name"), row.getString("region"), row.getLocalTime("opens"),
                row.getLocalTime("closes"), row.getInteger("slot_minutes"), row.getInteger("capacity"));
    }

    private static OffsetDateTime offset(ZonedDateTime time) {
        return time.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid slot", 400, detail);
    }
}
