package io.unichannel.common.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret that has to travel through Kafka to the one party that delivers it (a one-time
 * code on its way from identity-service to the gateway's SMS sender): AES-256-GCM under a key
 * both share, so the code is never in clear on the topic, in the outbox or in its WAL.
 * Format: base64url(12-byte nonce || ciphertext || tag).
 */
public final class SealedSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    /** The key is derived from a shared passphrase (configuration, a Kubernetes secret). */
    public SealedSecrets(String passphrase) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(passphrase.getBytes(StandardCharsets.UTF_8));
            key = new SecretKeySpec(digest, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String seal(String secret) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal a secret", e);
        }
    }

    /** @throws IllegalArgumentException when the value was not sealed with this key or was altered */
    public String open(String sealed) {
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a secret sealed with this key", e);
        }
    }
}
