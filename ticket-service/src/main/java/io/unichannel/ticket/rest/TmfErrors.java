package io.unichannel.ticket.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.unichannel.common.problem.Problem;
import io.unichannel.ticket.mapping.TroubleTicketDto;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * On the TMF621 API, every problem is also a TMF630 Error: one body that an RFC 9457 client and a
 * TMF client both read. It keeps {@code type}, {@code title}, {@code detail} and {@code instance},
 * and adds {@code @type: Error}, {@code code} (the problem type's last segment), {@code reason}
 * (the title), {@code message} (the detail) and {@code referenceError} (the type). {@code status}
 * is the HTTP status as a string, as the TMF Error schema types it; RFC 9457 tells clients to
 * ignore a member of an unexpected type, and the status line carries the same number.
 */
public class TmfErrors {

    @ServerResponseFilter
    public void tmfError(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem)) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(TroubleTicketDto.API_ROOT + "/")) {
            return;
        }
        response.setEntity(body(problem), null, response.getMediaType());
    }

    static Map<String, Object> body(Problem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        String type = problem.type() == null ? "about:blank" : problem.type().toString();
        body.put("@type", "Error");
        body.put("code", type.substring(type.lastIndexOf(':') + 1));
        body.put("reason", problem.title());
        if (problem.detail() != null) {
            body.put("message", problem.detail());
        }
        body.put("status", String.valueOf(problem.status()));
        body.put("referenceError", type);
        body.put("type", type);
        body.put("title", problem.title());
        if (problem.detail() != null) {
            body.put("detail", problem.detail());
        }
        if (problem.instance() != null) {
            body.put("instance", problem.instance());
        }
        problem.anyExtensions().forEach(body::putIfAbsent);
        return body;
    }
}
