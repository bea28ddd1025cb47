package io.unichannel.common.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void mobileNumbersKeepOnlyPrefixAndLastFourDigits() {
        assertThat(Masking.msisdn("13812345678")).isEqualTo("138****5678");
        assertThat(Masking.msisdn("+8613812345678")).isEqualTo("+86138****5678");
    }

    @Test
    void idNumbersKeepOnlyTheirLastFourCharacters() {
        assertThat(Masking.idNumber("11010119900307451X")).isEqualTo("**************451X");
    }

    @Test
    void freeTextHasEveryPhoneAndIdNumberMasked() {
        String line = "caller 13812345678 (alt +8613987654321) showed ID 110101199003074514, order 2024112212";
        String masked = Masking.text(line);
        assertThat(masked)
                .doesNotContain("13812345678", "13987654321", "110101199003074514")
                .contains("138****5678", "+86139****4321", "**************4514")
                .contains("order 2024112212");
    }

    @Test
    void identifiersAreMaskedInTheMiddle() {
        assertThat(Masking.identifier("oAbCdEfGhIjKlMnOpQrStUvWx")).startsWith("oAbC").endsWith("UvWx").contains("****")
                .doesNotContain("EfGhIj");
    }

    @Test
    void sealedSecretsOpenOnlyWithTheSameKey() {
        SealedSecrets gateway = new SealedSecrets("shared");
        String sealed = new SealedSecrets("shared").seal("482913");
        assertThat(sealed).doesNotContain("482913");
        assertThat(gateway.open(sealed)).isEqualTo("482913");
        assertThatThrownBy(() -> new SealedSecrets("other").open(sealed)).isInstanceOf(IllegalArgumentException.class);
    }
}
