package io.unichannel.identity.signin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes the assertion (RFC 7523 JWT authorization grant) by which identity-service tells
 * Keycloak "I verified this customer": subject = customer id, audience = the realm, valid one
 * minute, single use (Keycloak rejects a replayed jti).
 */
@ApplicationScoped
public class AssertionSigner {

    private static final long LIFETIME_SECONDS = 60;
    private final SigningKeys keys;
    private final ObjectMapper json;
    private final String issuer;

    public AssertionSigner(SigningKeys keys, ObjectMapper json, SignInConfig config) {
        this.keys = keys;
        this.json = json;
        this.issuer = config.issuer();
    }

    public String sign(String customerId, String audience, String channel) {
        SigningKeys.SigningKey key = keys.current();
        long now = Instant.now().getEpochSecond();
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", key.kid());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", customerId);
        claims.put("aud", audience);
        claims.put("iat", now);
        claims.put("exp", now + LIFETIME_SECONDS);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("channel", channel);
        try {
            String signingInput = b64(json.writeValueAsBytes(header)) + "." + b64(json.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(rsa.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a sign-in assertion", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
