package io.unichannel.gateway.store;

import java.net.URI;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Stores and their VIP fast lane: ops define each store's hours, slot length and places per slot;
 * customers of the fast-lane tiers (gold and platinum by default) see free places and book one;
 * the counter staff of the store's region see the day's bookings and check customers in.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Stores")
public class StoreResource {

    private static final String STORE_ID = "[A-Za-z0-9_-]{1,32}";
    private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";

    /** A store as ops define it. */
    public record StoreDefinition(@NotNull
            @io.unichannel.common.validation.CleanText(max = 100) String name,
            @NotNull @Pattern(regexp = "[a-z0-9-]{1,32}") String region,
            @NotNull @Pattern(regexp = TIME) String opens, @NotNull @Pattern(regexp = TIME) String closes,
            @NotNull @Min(10) @Max(240) Integer slotMinutes, @NotNull @Min(1) @Max(100) Integer capacity) {
    }

    /** A booking request: the store and the slot's start (with its offset, as the slot list gives it). */
    public record BookingRequest(@NotNull @Pattern(regexp = STORE_ID) String storeId, @NotNull OffsetDateTime slotStart) {
    }

    public record DaySlots(String storeId, LocalDate date, List<FastLane.Slot> slots) {
    }

    private final FastLane lane;
    private final ProgressRepository progress;
    private final Caller caller;
    private final JsonWebToken token;
    private final List<String> tiers;
    private final java.time.Clock clock;
    private final java.time.ZoneId zone;

    public StoreResource(FastLane lane, ProgressRepository progress, Caller caller, JsonWebToken token,
            @ConfigProperty(name = "gateway.fast-lane.tiers") List<String> tiers, java.time.Clock clock,
            @ConfigProperty(name = "gateway.time-zone") java.time.ZoneId zone) {
        this.lane = lane;
        this.progress = progress;
        this.caller = caller;
        this.token = token;
        this.tiers = tiers;
        this.clock = clock;
        this.zone = zone;
    }

    @PUT
    @Path("stores/{storeId}")
    @RolesAllowed(Roles.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Define or change a store: opening hours, fast-lane slot length and places per slot")
    public Uni<FastLane.Store> define(@PathParam("storeId") @Pattern(regexp = STORE_ID) String storeId,
            @Valid @NotNull StoreDefinition body) {
        LocalTime opens = LocalTime.parse(body.opens());
        LocalTime closes = LocalTime.parse(body.closes());
        if (!closes.isAfter(opens.plusMinutes(body.slotMinutes() - 1L)) || closes.isBefore(opens)) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid store", 400,
                    "A store closes after it opens, with room for at least one slot.");
        }
        return lane.define(new FastLane.Store(storeId, body.name(), body.region(), opens, closes, body.slotMinutes(),
                body.capacity()));
    }

    @GET
    @Path("stores")
    @RolesAllowed({Roles.CUSTOMER, Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "The stores, optionally of one region")
    public Uni<List<FastLane.Store>> stores(@QueryParam("region") @Pattern(regexp = "[a-z0-9-]{1,32}") String region) {
        return lane.stores(Optional.ofNullable(region));
    }

    @GET
    @Path("stores/{storeId}/fast-lane")
    @RolesAllowed({Roles.CUSTOMER, Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "A day's fast-lane slots at a store with the places left (date: YYYY-MM-DD, default today)")
    public Uni<DaySlots> slots(@PathParam("storeId") @Pattern(regexp = STORE_ID) String storeId, @QueryParam("date") String date) {
        LocalDate day = day(date);
        return lane.slots(storeId, day).map(slots -> new DaySlots(storeId, day, slots));
    }

    @POST
    @Path("fast-lane-bookings")
    @RolesAllowed(Roles.CUSTOMER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Book a fast-lane place (customers of the fast-lane tiers; one booking a day)")
    public Uni<Response> book(@Valid @NotNull BookingRequest body) {
        String tier = caller.valueTier();
        if (tier == null || !tiers.contains(tier)) {
            throw new ProblemException(ProblemTypes.FORBIDDEN, "Not a fast-lane customer", 403,
                    "The VIP fast lane is for customers of the " + String.join(", ", tiers) + " tiers.");
        }
        return progress.canonical(caller.customerId()).chain(customer -> lane.book(customer, body.storeId(), body.slotStart()))
                .map(b -> Response.created(URI.create("/api/v1/fast-lane-bookings/" + b.id())).entity(b).build());
    }

    @GET
    @Path("fast-lane-bookings")
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(summary = "The caller's fast-lane bookings, the latest slots first")
    public Uni<List<FastLane.Booking>> mine() {
        return progress.canonical(caller.customerId()).chain(progress::idsOf).chain(lane::of);
    }

    @DELETE
    @Path("fast-lane-bookings/{id}")
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(summary = "Cancel one of the caller's bookings before its slot starts; the place is freed")
    public Uni<Response> cancel(@PathParam("id") String id) {
        UUID booking = uuid(id);
        return progress.canonical(caller.customerId()).chain(progress::idsOf).chain(ids -> lane.cancel(ids, booking))
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("stores/{storeId}/fast-lane-bookings")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.OPS})
    @Operation(summary = "The day's bookings at a store, for its counter (staff of the store's region)")
    public Uni<List<FastLane.Booking>> atStore(@PathParam("storeId") @Pattern(regexp = STORE_ID) String storeId,
            @QueryParam("date") String date) {
        LocalDate day = day(date);
        return lane.store(storeId).invoke(this::inScope).chain(s -> lane.atStore(storeId, day));
    }

    @POST
    @Path("fast-lane-bookings/{id}/check-in")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR})
    @Operation(summary = "Check the customer in at the counter; the agent is recorded")
    public Uni<FastLane.Booking> checkIn(@PathParam("id") String id) {
        UUID booking = uuid(id);
        return lane.find(booking).chain(found -> {
            FastLane.Booking b = found.orElseThrow(StoreResource::bookingNotFound);
            return lane.store(b.storeId()).invoke(this::inScope);
        }).chain(ignored -> lane.checkIn(booking, agentName()));
    }

    /** Ops see every store; agents and supervisors only their region's (another region's is a 404). */
    private void inScope(FastLane.Store store) {
        if (token.getGroups().contains(Roles.OPS)) {
            return;
        }
        Object region = token.getClaim("region");
        if (region == null || !store.region().equals(region.toString())) {
            throw new ProblemException(ProblemTypes.NOT_FOUND, "Store not found", 404, "There is no store "
                    + store.storeId() + " in your scope.");
        }
    }

    private String agentName() {
        Object name = token.getClaim("preferred_username");
        return name != null ? name.toString() : token.getSubject();
    }

    private LocalDate day(String date) {
        if (date == null || date.isBlank()) {
            return LocalDate.now(clock.withZone(zone));
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid date", 400, "date is YYYY-MM-DD.");
        }
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (day.isBefore(today.minusYears(1)) || day.isAfter(today.plusYears(1))) {
            throw new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid date", 400, "date is within a year of today.");
        }
        return day;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw bookingNotFound();
        }
    }

    private static ProblemException bookingNotFound() {
        return new ProblemException(ProblemTypes.NOT_FOUND, "Booking not found", 404, "There is no such booking.");
    }
}
