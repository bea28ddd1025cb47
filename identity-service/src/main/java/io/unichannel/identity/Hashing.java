package io.unichannel.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one-way forms identity-service keeps instead of secrets and ID numbers:
 * <ul>
 * <li>keyed hashes (HMAC-SHA256 under the deployment's secret salt) for values that must be
 * looked up or compared (ID documents, one-time codes): without the secret a stolen table cannot
 * be brute-forced back to ID numbers or codes;</li>
 * <li>salted PBKDF2 for the hotline/SMS service password, over an HMAC of it under the same
 * secret (a pepper): six digits are a small space, and a stolen table without the secret cannot
 * be searched at all.</li>
 * </ul>
 */
@ApplicationScoped
public class Hashing {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PBKDF2_ITERATIONS = 60_000;
    private final SecretKeySpec key;

    public Hashing(@ConfigProperty(name = "identity.hash-secret") String secret) {
        key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** HMAC-SHA256 of purpose:value, hex; the purpose keeps hashes of different kinds apart. */
    public String keyed(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((purpose + ":" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two hashes. */
    public static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * pbkdf2p$iterations$salt$hash (salt and hash base64) of the peppered password. Takes tens of
     * milliseconds: call off the event loop.
     */
    public String password(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2p$" + PBKDF2_ITERATIONS + "$" + b64(salt) + "$"
                + b64(pbkdf2(peppered(password), salt, PBKDF2_ITERATIONS));
    }

    /** Checks a password against a stored hash: peppered (pbkdf2p), or one stored before the pepper (pbkdf2). */
    public boolean passwordMatches(String password, String stored) {
        if (stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        String input = "pbkdf2p".equals(parts[0]) ? peppered(password) : password;
        return MessageDigest.isEqual(expected, pbkdf2(input, salt, Integer.parseInt(parts[1])));
    }

    private String peppered(String password) {
        return keyed("service-password", password);
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
