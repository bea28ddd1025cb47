package io.unichannel.common.events;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 timestamps as the platform writes them: UTC, always with seconds. (OffsetDateTime's
 * own toString drops zero seconds, which RFC 3339 and strict parsers reject.)
 */
public final class Timestamps {

    private Timestamps() {
    }

    public static String rfc3339(OffsetDateTime time) {
        return DateTimeFormatter.ISO_INSTANT.format(time);
    }
}
