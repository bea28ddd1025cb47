package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Poison (never processable) versus outage (retry until it passes), as consumers decide it. */
class FailuresTest {

    @Test
    void contentThatBreaksARuleOrAConstraintIsPoison() {
        assertThat(Failures.isPoison(new Failures.PoisonException("description is missing"))).isTrue();
        assertThat(Failures.isPoison(new IllegalArgumentException("bad"))).isTrue();
        // value too long (22001), NUL in text (22021), not-null (23502), check (23514): wrapped as drivers do
        for (String state : new String[] {"22001", "22021", "23502", "23514"}) {
            assertThat(Failures.isPoison(new RuntimeException("tx failed", new SQLException("refused", state))))
                    .as(state).isTrue();
        }
    }

    @Test
    void outagesAndRacesAreNotPoison() {
        assertThat(Failures.isPoison(new RuntimeException(new ConnectException("refused")))).isFalse();
        assertThat(Failures.isPoison(new SQLException("connection lost", "08006"))).isFalse();
        assertThat(Failures.isPoison(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Failures.isPoison(new SQLException("deadlock", "40P01"))).isFalse();
    }
}
