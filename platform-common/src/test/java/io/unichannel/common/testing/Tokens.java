package io.unichannel.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads JWTs and makes the tampered ones an attacker would try. */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** The claims of a JWT, unverified. */
    public static JsonNode claims(String jwt) {
        return decode(jwt.split("\\.")[1]);
    }

    /** The token with a different subject but the original signature: a forgery. */
    public static String forgedSubject(String jwt, String subject) {
        String[] parts = jwt.split("\\.");
        ObjectNode claims = (ObjectNode) decode(parts[1]);
        claims.put("sub", subject);
        return parts[0] + "." + encode(claims) + "." + parts[2];
    }

    /** The token's claims under an {@code alg: none} header and no signature. */
    public static String unsigned(String jwt) {
        String[] parts = jwt.split("\\.");
        ObjectNode header = JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
        return encode(header) + "." + parts[1] + ".";
    }

    /** The token's header and claims signed (RS256) by a key the realm never issued: a foreign token. */
    public static String foreignSigned(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
            signer.initSign(generator.generateKeyPair().getPrivate());
            signer.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return parts[0] + "." + parts[1] + "." + B64.encodeToString(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token with one character of its signature changed. */
    public static String tampered(String jwt) {
        char last = jwt.charAt(jwt.length() - 2);
        return jwt.substring(0, jwt.length() - 2) + (last == 'A' ? 'B' : 'A') + jwt.charAt(jwt.length() - 1);
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWT part", e);
        }
    }

    private static String encode(JsonNode node) {
        return B64.encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
