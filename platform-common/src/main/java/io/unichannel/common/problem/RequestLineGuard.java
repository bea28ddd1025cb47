package io.unichannel.common.problem;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.unichannel.common.validation.Text;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a request whose path or query, once decoded, holds control characters (NUL, say) or
 * is not valid UTF-8, with a 400 problem before any resource sees it: no id or filter of the
 * platform can contain them, and a database refuses them with an error instead of a miss.
 */
@ApplicationScoped
public class RequestLineGuard {

    private static final String PROBLEM = "{\"type\":\"urn:unichannel:problem:invalid-request\",\"title\":\"Invalid request\","
            + "\"status\":400,\"detail\":\"The path or query holds control characters or invalid UTF-8.\"}";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(context -> {
            String uri = context.request().uri();
            if (hostile(uri)) {
                context.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .end(PROBLEM);
            } else {
                context.next();
            }
        });
    }

    static boolean hostile(String uri) {
        String decoded;
        try {
            decoded = QueryStringDecoder.decodeComponent(uri.replace("+", "%2B"));
        } catch (IllegalArgumentException e) {
            return true; // a broken %-escape
        }
        return decoded.indexOf('\uFFFD') >= 0 || Text.problem(decoded, Integer.MAX_VALUE, false) != null;
    }
}
