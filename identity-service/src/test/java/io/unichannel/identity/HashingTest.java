package io.unichannel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The service password is peppered with the deployment's secret: a stolen table alone cannot be searched. */
class HashingTest {

    @Test
    void aServicePasswordHashIsUselessWithoutTheDeploymentsSecret() {
        Hashing deployment = new Hashing("deployment-secret-one");
        String stored = deployment.password("123456");
        assertThat(stored).startsWith("pbkdf2p$").doesNotContain("123456");
        assertThat(deployment.passwordMatches("123456", stored)).isTrue();
        assertThat(deployment.passwordMatches("123457", stored)).isFalse();
        // the same table under another secret (an attacker with the rows only) matches nothing
        assertThat(new Hashing("a-guess").passwordMatches("123456", stored)).isFalse();
        // a stored password of every six-digit guess differs per record (salted)
        assertThat(deployment.password("123456")).isNotEqualTo(stored);
    }

    @Test
    void passwordsStoredBeforeThePepperStillWork() throws Exception {
        // pbkdf2$60000$salt$hash of "654321" without the pepper, as earlier versions stored it
        byte[] salt = new byte[16];
        var spec = new javax.crypto.spec.PBEKeySpec("654321".toCharArray(), salt, 60_000, 256);
        byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        String old = "pbkdf2$60000$" + java.util.Base64.getEncoder().encodeToString(salt) + "$"
                + java.util.Base64.getEncoder().encodeToString(hash);
        assertThat(new Hashing("any").passwordMatches("654321", old)).isTrue();
        assertThat(new Hashing("any").passwordMatches("000000", old)).isFalse();
    }
}
