package io.unichannel.common.problem;

import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body larger than the service accepts with a 413 RFC 9457 problem, before reading it,
 * when the client declares its length (the HTTP layer still cuts off undeclared oversized bodies).
 */
@ApplicationScoped
public class BodyLimitGuard {

    private static final String PROBLEM = "{\"type\":\"urn:unichannel:problem:payload-too-large\","
            + "\"title\":\"Payload too large\",\"status\":413,\"detail\":\"The request body is larger than %d bytes.\"}";

    private final long limit;

    public BodyLimitGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit.map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && parse(declared) > limit) {
                context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(PROBLEM.formatted(limit));
            } else {
                context.next();
            }
        });
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
