package io.unichannel.gateway.rest;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.security.Roles;
import io.unichannel.gateway.notify.Preferences;
import io.unichannel.gateway.repository.ProgressRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The customer's own notification preferences: where to hear first, their quiet hours, what they
 * opted out of, and channels that must stay silent. The same settings hold on every channel and
 * for every service that sends through the gateway.
 */
@Path("/api/v1/notification-preferences")
@RolesAllowed(Roles.CUSTOMER)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notifications")
public class PreferenceResource {

    private static final String CHANNEL = "app|wechat|sms";
    private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";

    /** A daily window in the operator's time zone, for example 21:30 to 08:00. */
    public record QuietHours(@NotNull @Pattern(regexp = TIME) String start, @NotNull @Pattern(regexp = TIME) String end) {
    }

    /** The preferences as the customer reads and writes them; a PUT replaces them all. */
    public record Body(@Pattern(regexp = CHANNEL) String preferredChannel, @Valid QuietHours quietHours,
            @Size(max = 2) List<@NotNull @Pattern(regexp = "marketing|survey") String> optOut,
            @Size(max = 3) List<@NotNull @Pattern(regexp = CHANNEL) String> mutedChannels, OffsetDateTime updatedAt) {
    }

    private final Preferences preferences;
    private final ProgressRepository progress;
    private final Caller caller;

    public PreferenceResource(Preferences preferences, ProgressRepository progress, Caller caller) {
        this.preferences = preferences;
        this.progress = progress;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's notification preferences (empty means the operator's defaults)")
    public Uni<Body> get() {
        return progress.canonical(caller.customerId()).chain(preferences::of).map(PreferenceResource::body);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the caller's notification preferences",
            description = "One-time codes and answers to the customer's own messages are sent whatever the settings; "
                    + "opting out covers marketing and surveys on every channel.")
    public Uni<Body> put(@Valid @NotNull Body body) {
        Set<String> muted = body.mutedChannels() == null ? Set.of() : new TreeSet<>(body.mutedChannels());
        if (body.preferredChannel() != null && muted.contains(body.preferredChannel())) {
            throw invalid("The preferred channel cannot also be muted.");
        }
        LocalTime start = body.quietHours() == null ? null : LocalTime.parse(body.quietHours().start());
        LocalTime end = body.quietHours() == null ? null : LocalTime.parse(body.quietHours().end());
        if (start != null && start.equals(end)) {
            throw invalid("Quiet hours must start and end at different times.");
        }
        Preferences.Settings settings = new Preferences.Settings(body.preferredChannel(), start, end,
                body.optOut() == null ? Set.of() : new TreeSet<>(body.optOut()), muted, null);
        return progress.canonical(caller.customerId()).chain(id -> preferences.save(id, settings)).map(PreferenceResource::body);
    }

    private static Body body(Preferences.Settings s) {
        return new Body(s.preferredChannel(), s.hasOwnQuietHours() ? new QuietHours(s.quietStart().toString(),
                s.quietEnd().toString()) : null, List.copyOf(new TreeSet<>(s.optOut())),
                List.copyOf(new TreeSet<>(s.mutedChannels())), s.updatedAt());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Invalid preferences", 400, detail);
    }
}
