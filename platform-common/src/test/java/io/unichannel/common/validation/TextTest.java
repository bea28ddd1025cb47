package io.unichannel.common.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The text rules every input path shares: what a database stores and a channel can show. */
class TextTest {

    @Test
    void acceptsOrdinaryTextInAnyScript() {
        assertThat(Text.problem("宽带每晚掉线 Broadband drops 😀", 100, false)).isNull();
        assertThat(Text.problem(null, 10, false)).isNull();
        assertThat(Text.problem("line one\nline two\ttabbed", 100, true)).isNull();
    }

    @Test
    void refusesControlCharactersBrokenUnicodeAndOverlongText() {
        assertThat(Text.problem("a\u0000b", 10, true)).contains("control character (U+0000)");
        assertThat(Text.problem("a\u001bb", 10, true)).contains("U+001B");
        assertThat(Text.problem("line\nbreak", 20, false)).contains("U+000A");
        assertThat(Text.problem("lone \ud800 high", 20, false)).contains("unpaired surrogate");
        assertThat(Text.problem("lone \udc00 low", 20, false)).contains("unpaired surrogate");
        assertThat(Text.problem("ends high \ud83d", 20, false)).contains("unpaired surrogate");
        assertThat(Text.problem("x".repeat(65), 64, false)).isEqualTo("longer than 64 characters");
        assertThat(Text.isValidRequired("   ", 10, false)).isFalse();
        assertThat(Text.isValidRequired("ok", 10, false)).isTrue();
    }
}
