package io.unichannel.gateway.wechat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The WeChat official account's callback security, as WeChat publishes it: the SHA-1 signature
 * over the sorted token, timestamp and nonce (plus the encrypted message in safe mode), and the
 * safe-mode message encryption: AES-256-CBC with the EncodingAESKey (43 characters of base64; the
 * IV is the key's first 16 bytes), PKCS#7 padding to 32-byte blocks, the plaintext being 16 random
 * bytes, the message length (4 bytes, network order), the message and the official account's AppID.
 */
public final class WeChatCrypto {

    private static final int BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String appId;

    /** @throws IllegalArgumentException when the EncodingAESKey is not 43 characters of base64 for a 32-byte key */
    public WeChatCrypto(String encodingAesKey, String appId) {
        if (encodingAesKey == null || encodingAesKey.length() != 43) {
            throw new IllegalArgumentException("the EncodingAESKey must be 43 characters");
        }
        this.key = Base64.getDecoder().decode(encodingAesKey + "=");
        if (key.length != 32) {
            throw new IllegalArgumentException("the EncodingAESKey must decode to 32 bytes");
        }
        this.appId = appId;
    }

    /** SHA-1 (lower-case hex) over the parts sorted and joined, as WeChat signs. */
    public static String signature(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code given} is the signature of the parts, compared in constant time. */
    public static boolean verify(String given, String... parts) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(signature(parts).getBytes(StandardCharsets.US_ASCII),
                given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Opens a safe-mode message.
     *
     * @throws IllegalArgumentException when it is not base64, does not decrypt, is malformed or is for another AppID
     */
    public String decrypt(String encrypted) {
        byte[] plain;
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            plain = aes.doFinal(Base64.getDecoder().decode(encrypted));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the message does not decrypt with this account's key");
        }
        int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) {
            throw new IllegalArgumentException("the decrypted message has no valid padding");
        }
        byte[] content = Arrays.copyOf(plain, plain.length - pad);
        int length = ByteBuffer.wrap(content, 16, 4).getInt();
        if (length < 0 || 20 + length > content.length) {
            throw new IllegalArgumentException("the decrypted message has a wrong length");
        }
        String message = new String(content, 20, length, StandardCharsets.UTF_8);
        String from = new String(content, 20 + length, content.length - 20 - length, StandardCharsets.UTF_8);
        if (!from.equals(appId)) {
            throw new IllegalArgumentException("the message is for another official account");
        }
        return message;
    }

    /** Seals a reply with 16 random bytes, as WeChat expects it in safe mode. */
    public String encrypt(String message) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return encrypt(random, message);
    }

    /** Seals a message with the given 16 leading bytes (WeChat's published examples fix them). */
    String encrypt(byte[] random, String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] app = appId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 16 + 4 + body.length + app.length;
        int pad = BLOCK - unpadded % BLOCK;
        ByteBuffer plain = ByteBuffer.allocate(unpadded + pad);
        plain.put(random, 0, 16).putInt(body.length).put(body).put(app);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return Base64.getEncoder().encodeToString(aes.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
