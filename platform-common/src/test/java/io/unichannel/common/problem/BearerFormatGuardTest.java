package io.unichannel.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Authorization values are refused before the OIDC layer sees them. */
class BearerFormatGuardTest {

    @Test
    void onlyCompactJwsShapedBearerValuesPass() {
        assertThat(BearerFormatGuard.malformed("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).isFalse();
        assertThat(BearerFormatGuard.malformed("bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")).isFalse();
        for (String bad : new String[] {"Bearer", "Bearer ", "Bearer ...", "Bearer a.b", "Bearer a.b.c.d",
                "Bearer a..c", "Bearer %%%.b.c", "Bearer " + "a".repeat(20_000) + ".b.c"}) {
            assertThat(BearerFormatGuard.malformed(bad)).as(bad.substring(0, Math.min(bad.length(), 30))).isTrue();
        }
        assertThat(BearerFormatGuard.malformed("Basic dXNlcjpwYXNz")).isFalse();
    }
}
