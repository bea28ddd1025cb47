package io.unichannel.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which request lines are refused before any resource sees them. */
class RequestLineGuardTest {

    @Test
    void controlCharactersAndBrokenEncodingsAreRefused() {
        for (String bad : new String[] {"/api/v1/requests/%00", "/a?x=%07", "/a/%ED%A0%80", "/a/%E2", "/a/%zz",
                "/a?q=%0A"}) {
            assertThat(RequestLineGuard.hostile(bad)).as(bad).isTrue();
        }
        for (String fine : new String[] {"/api/v1/requests/0b5f6d2e-4c1a-4f7e-9a51-3f0c2d8e7b10",
                "/tmf-api/troubleTicket/v5/troubleTicket?relatedParty.id=C-1&limit=20", "/a/%E5%AE%BD%E5%B8%A6",
                "/a?q=a+b", "/a/%F0%9F%98%80"}) {
            assertThat(RequestLineGuard.hostile(fine)).as(fine).isFalse();
        }
    }
}
