package io.unichannel.gateway.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** WeChat's safe mode and signatures, checked against the example WeChat publishes with its SDK. */
class WeChatCryptoTest {

    private static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final String APP_ID = "wxb11529c136998cb6";

    @Test
    void encryptsLikeWeChatsPublishedExample() {
        WeChatCrypto crypto = new WeChatCrypto(KEY, APP_ID);
        String sealed = crypto.encrypt("aaaabbbbccccdddd".getBytes(StandardCharsets.US_ASCII), "我是中文abcd123");
        assertThat(sealed).isEqualTo("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==");
        assertThat(crypto.decrypt(sealed)).isEqualTo("我是中文abcd123");
    }

    @Test
    void aMessageForAnotherAccountOrTamperedWithDoesNotOpen() {
        WeChatCrypto ours = new WeChatCrypto(KEY, APP_ID);
        String theirs = new WeChatCrypto(KEY, "wx-some-other-account").encrypt("<xml/>");
        assertThatThrownBy(() -> ours.decrypt(theirs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another official account");
        byte[] bytes = Base64.getDecoder().decode(ours.encrypt("<xml><Content>hi</Content></xml>"));
        bytes[bytes.length - 1] ^= 0x5a;
        String tampered = Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> ours.decrypt(tampered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ours.decrypt("not base64 at all!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ours.decrypt(Base64.getEncoder().encodeToString(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeChatCrypto("short", APP_ID)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signaturesSortTheirPartsAndAnyChangeBreaksThem() {
        String signature = WeChatCrypto.signature("token", "1409304348", "nonce");
        assertThat(signature).hasSize(40).isEqualTo(WeChatCrypto.signature("nonce", "token", "1409304348"));
        assertThat(WeChatCrypto.verify(signature, "1409304348", "nonce", "token")).isTrue();
        assertThat(WeChatCrypto.verify(signature.toUpperCase(), "1409304348", "nonce", "token")).isTrue();
        assertThat(WeChatCrypto.verify(signature, "1409304349", "nonce", "token")).isFalse();
        assertThat(WeChatCrypto.verify(null, "1409304348", "nonce", "token")).isFalse();
    }
}
