package io.unichannel.ticket.routing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The routing policy in force: the operator's file ({@code ROUTING_POLICIES_FILE}, a ConfigMap in
 * Kubernetes) or the shipped routing-policies.json. A file that does not validate stops the start,
 * so a broken policy is never half applied; every decision names the version it followed.
 */
@ApplicationScoped
public class RoutingPolicies {

    static final String DEFAULTS = "/routing-policies.json";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final RoutingPolicy policy;

    public RoutingPolicies(@ConfigProperty(name = "ticket.routing.policies-file") Optional<String> file) {
        Optional<Path> path = file.filter(f -> !f.isBlank()).map(Path::of).filter(Files::exists);
        try (InputStream in = path.isPresent() ? Files.newInputStream(path.get()) : RoutingPolicies.class.getResourceAsStream(DEFAULTS)) {
            policy = read(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("routing policy " + path.map(Path::toString).orElse(DEFAULTS) + " refused: "
                    + e.getMessage(), e);
        }
        Log.infof("Routing policy %s in force (%s)", policy.version(), path.map(Path::toString).orElse("shipped"));
    }

    public static RoutingPolicy read(InputStream in) throws IOException {
        return JSON.readValue(in, RoutingPolicy.class).validated();
    }

    public RoutingPolicy current() {
        return policy;
    }
}
