package io.unichannel.common.problem;

import java.net.URI;

/** Stable RFC 9457 {@code type} URIs, one per kind of error the platform reports. */
public final class ProblemTypes {

    private static final String BASE = "urn:unichannel:problem:";

    public static final URI UNAUTHENTICATED = URI.create(BASE + "unauthenticated");
    public static final URI FORBIDDEN = URI.create(BASE + "forbidden");
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");
    public static final URI MALFORMED_BODY = URI.create(BASE + "malformed-body");
    public static final URI CONFLICT = URI.create(BASE + "conflict");
    /** What was asked for existed but is closed for good (an expired survey link). */
    public static final URI GONE = URI.create(BASE + "gone");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI TOO_MANY_REQUESTS = URI.create(BASE + "too-many-requests");
    /** A verification (one-time code, service password, ID check) did not match. */
    public static final URI VERIFICATION_FAILED = URI.create(BASE + "verification-failed");
    /** Too many failed verifications: the sign-in flow is locked for a while. */
    public static final URI SIGN_IN_LOCKED = URI.create(BASE + "sign-in-locked");
    /** The one-time code expired or was already used. */
    public static final URI CODE_EXPIRED = URI.create(BASE + "code-expired");
    public static final URI SERVICE_UNAVAILABLE = URI.create(BASE + "service-unavailable");
    public static final URI INTERNAL = URI.create(BASE + "internal-error");

    private ProblemTypes() {
    }

    /** The type that fits a plain HTTP status. */
    public static URI forStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : URI.create(BASE + "http-" + status);
        };
    }
}
