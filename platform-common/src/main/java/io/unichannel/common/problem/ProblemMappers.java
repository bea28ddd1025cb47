package io.unichannel.common.problem;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every error a service raises into an RFC 9457 {@code application/problem+json} response.
 * Shared by all services so that clients see one error format across the platform.
 */
public class ProblemMappers {

    private static final String BEARER_CHALLENGE = "Bearer realm=\"unichannel\"";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return e.problem().withInstance(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized("The bearer token is invalid, expired or not meant for this service.",
                BEARER_CHALLENGE + ", error=\"invalid_token\"", uri);
    }

    /**
     * No credentials: the platform's 401 problem for the bearer APIs; a page signed in through the
     * browser (the customer portal) gets its sign-on redirect instead.
     */
    @ServerExceptionMapper
    public io.smallrye.mutiny.Uni<Response> anonymous(UnauthorizedException e, UriInfo uri, io.vertx.ext.web.RoutingContext context) {
        Response problem = unauthorized("This endpoint needs a bearer token issued by the platform's sign-on.",
                BEARER_CHALLENGE, uri);
        io.quarkus.vertx.http.runtime.security.HttpAuthenticator authenticator =
                context == null ? null : context.get(io.quarkus.vertx.http.runtime.security.HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return io.smallrye.mutiny.Uni.createFrom().item(problem);
        }
        return authenticator.getChallenge(context).map(challenge -> {
            // Only a sign-on redirect passes; any other challenge (a web sign-on that cannot start for
            // this request, a bearer challenge) is the platform's 401 problem.
            if (challenge == null || challenge.status / 100 != 3) {
                return problem;
            }
            Response.ResponseBuilder redirect = Response.status(challenge.status);
            challenge.getHeaders().forEach((name, value) -> redirect.header(name.toString(), value));
            return redirect.build();
        }).onFailure().recoverWithItem(problem);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return new Problem(ProblemTypes.FORBIDDEN, "Forbidden", 403,
                "The signed-in party may not perform this action.").withInstance(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", field(v), "message", v.getMessage()))
                .sorted(java.util.Comparator.comparing(m -> m.get("field"))).toList();
        return new Problem(ProblemTypes.INVALID_REQUEST, "Invalid request", 400,
                "The request breaks " + errors.size() + " rule(s); see 'errors'.")
                .withInstance(uri.getPath()).with("errors", errors).toResponse();
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
        Problem problem = new Problem(ProblemTypes.MALFORMED_BODY, "Malformed request body", 400,
                "The body is not valid JSON of the expected shape"
                        + (field.isEmpty() ? "" : " at '" + field + "'") + ": " + firstLine(e.getOriginalMessage()))
                .withInstance(uri.getPath());
        String message = e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
                ? "is not an attribute of this resource" : "cannot be read as the expected type";
        return (field.isEmpty() ? problem : problem.with("errors", List.of(Map.of("field", field,
                "message", message)))).toResponse();
    }

    /** Quarkus REST has its own (bodiless) answer for these; the platform's problem replaces it. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return malformed(e, uri);
    }

    @ServerExceptionMapper
    public Response unbindable(JsonMappingException e, UriInfo uri) {
        return malformed(e, uri);
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e, UriInfo uri) {
        return malformed(e, uri);
    }

    /** A bearer value that is not a token at all (not a JWT): the same 401 as any bad token. */
    @ServerExceptionMapper
    public Response badCredentials(io.quarkus.oidc.OIDCException e, UriInfo uri) {
        return unauthenticated(new AuthenticationFailedException(e), uri);
    }

    /** The JSON path of the field that could not be bound, e.g. {@code attributes.colour} or {@code items[2]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Jackson's messages carry a source excerpt after the first line; the client sent it, it needs no echo. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, uri);
        }
        Response.StatusType statusType = original.getStatusInfo();
        Problem problem = new Problem(ProblemTypes.forStatus(status), statusType.getReasonPhrase(), status,
                e.getMessage()).withInstance(uri.getPath());
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
        original.getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DependencyOutage.isOutage(e)) {
            // The database (or another dependency) is restarting or unreachable: a delay, not an error.
            Log.warnf("%s answered 503: a dependency is unavailable (%s)", uri.getPath(), DependencyOutage.describe(e));
            return new Problem(ProblemTypes.SERVICE_UNAVAILABLE, "Temporarily unavailable", 503,
                    "The service cannot reach a system it needs right now; try again shortly.")
                    .withInstance(uri.getPath()).with("retryAfterSeconds", 2).toResponse();
        }
        Log.errorf(e, "Unexpected error on %s", uri.getPath());
        return new Problem(ProblemTypes.INTERNAL, "Internal error", 500,
                "The service could not complete the request; it has been logged.")
                .withInstance(uri.getPath()).toResponse();
    }

    /** The offending field, without the method and parameter names bean validation puts in front. */
    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : path;
    }

    private static Response unauthorized(String detail, String challenge, UriInfo uri) {
        Problem problem = new Problem(ProblemTypes.UNAUTHENTICATED, "Unauthenticated", 401, detail)
                .withInstance(uri.getPath());
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .entity(problem).build();
    }
}
