package io.unichannel.common.problem;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem details body.
 *
 * @param extensions extra members, e.g. the invalid fields of a request
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(URI type, String title, int status, String detail) {
        this(type, title, status, detail, null, Map.of());
    }

    @JsonAnyGetter
    public Map<String, Object> anyExtensions() {
        return extensions == null ? Map.of() : extensions;
    }

    public Problem withInstance(String newInstance) {
        return new Problem(type, title, status, detail, newInstance, extensions);
    }

    public Problem with(String name, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(anyExtensions());
        copy.put(name, value);
        return new Problem(type, title, status, detail, instance, copy);
    }

    /** The HTTP response that carries this problem; a {@code retryAfterSeconds} member also becomes Retry-After. */
    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(this);
        Object retryAfter = anyExtensions().get("retryAfterSeconds");
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }
}
