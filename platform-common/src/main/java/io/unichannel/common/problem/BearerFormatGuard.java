package io.unichannel.common.problem;

import java.util.regex.Pattern;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a bearer credential that is not even shaped like a signed JWT with the platform's 401
 * problem, before the OIDC layer sees it. The platform accepts only locally verified JWTs, and
 * some malformed values ("Bearer ...") make the OIDC layer fail with a server error instead.
 */
@ApplicationScoped
public class BearerFormatGuard {

    /** Compact JWS: header.payload.signature, each base64url. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private static final String PROBLEM = "{\"type\":\"urn:unichannel:problem:unauthenticated\",\"title\":\"Unauthenticated\","
            + "\"status\":401,\"detail\":\"The bearer token is invalid, expired or not meant for this service.\"}";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> {
            String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization != null && !context.request().path().startsWith("/q/") && malformed(authorization)) {
                context.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader("WWW-Authenticate", "Bearer realm=\"unichannel\", error=\"invalid_token\"")
                        .end(PROBLEM);
            } else {
                context.next();
            }
        });
    }

    static boolean malformed(String authorization) {
        String value = authorization.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Bearer", 0, 6)) {
            return false; // another scheme: the OIDC layer answers 401 for it
        }
        String token = value.substring(6).strip();
        return token.length() > 16_384 || !COMPACT_JWS.matcher(token).matches();
    }
}
