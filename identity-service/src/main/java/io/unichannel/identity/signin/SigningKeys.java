package io.unichannel.identity.signin;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The RSA keys identity-service signs its sign-in assertions with, kept in the service's database
 * so every replica signs with the same key. Keycloak reads their public halves from the JWKS
 * ({@code GET /api/v1/sign-in/jwks.json}), so keys rotate without downtime: a new key is published
 * a while before it signs (long enough for Keycloak to fetch the set again), and the key it
 * replaces stays published until the last assertion it signed has expired. Activation and
 * retirement are times in the database, so every replica switches at the same moment.
 */
@ApplicationScoped
public class SigningKeys {

    /** Assertions live one minute; a replaced key stays published this much longer than that. */
    static final Duration RETIRE_AFTER = Duration.ofMinutes(2);
    /** Retired keys (and their private halves) are deleted this long after retirement. */
    static final Duration DELETE_AFTER = Duration.ofDays(1);
    private static final Duration REFRESH = Duration.ofSeconds(5);
    /** One rotation at a time across replicas. */
    private static final long ROTATION_LOCK = 0x5167_4b65_7952_6f74L;

    /** A key: id (JWT kid), private half for signing, public half, when it signs, when it is no longer published. */
    public record SigningKey(String kid, PrivateKey privateKey, RSAPublicKey publicKey, Instant activatesAt, Instant retiresAt) {

        public String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(publicKey.getEncoded());
        }

        boolean signsAt(Instant now) {
            return !activatesAt.isAfter(now) && (retiresAt == null || retiresAt.isAfter(now));
        }

        boolean publishedAt(Instant now) {
            return retiresAt == null || retiresAt.isAfter(now);
        }

        /** The public half as a JSON Web Key (RFC 7517/7518). */
        public Map<String, String> jwk() {
            Map<String, String> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("kid", kid);
            jwk.put("use", "sig");
            jwk.put("alg", "RS256");
            jwk.put("n", unsigned(publicKey.getModulus()));
            jwk.put("e", unsigned(publicKey.getPublicExponent()));
            return jwk;
        }

        private static String unsigned(BigInteger value) {
            byte[] bytes = value.toByteArray();
            if (bytes.length > 1 && bytes[0] == 0) {
                bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private volatile List<SigningKey> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    public SigningKeys(DataSource dataSource) {
        this.dataSource = dataSource;
        this.clock = Clock.systemUTC();
    }

    /** The key that signs now, creating the first one on first use. Blocking (JDBC): call off the event loop. */
    public SigningKey current() {
        Instant now = clock.instant();
        return fresh(now).stream().filter(k -> k.signsAt(now)).max(Comparator.comparing(SigningKey::activatesAt))
                .orElseGet(() -> {
                    reload(true);
                    // A key created just now activates after the instant this call started.
                    Instant after = clock.instant();
                    return keys.stream().filter(k -> k.signsAt(after)).max(Comparator.comparing(SigningKey::activatesAt))
                            .orElseThrow(() -> new IllegalStateException("no sign-in key is active"));
                });
    }

    /** Every key Keycloak must know now: the one signing, the next one, and those whose assertions may still be presented. */
    public List<SigningKey> published() {
        Instant now = clock.instant();
        current();
        return keys.stream().filter(k -> k.publishedAt(now)).sorted(Comparator.comparing(SigningKey::activatesAt)).toList();
    }

    /**
     * Starts a rotation: a new key, published now, signing after {@code lead}; the keys signing now
     * retire {@link #RETIRE_AFTER} after that. A rotation already under way is returned, not
     * doubled (one across replicas). Blocking.
     */
    public SigningKey rotate(Duration lead) {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                lock(connection);
                Optional<SigningKey> pending = load(connection).stream().filter(k -> k.activatesAt().isAfter(now)).findFirst();
                SigningKey next = pending.isPresent() ? pending.get() : insert(connection, now, now.plus(lead));
                if (pending.isEmpty()) {
                    try (PreparedStatement retire = connection.prepareStatement(
                            "UPDATE signing_key SET retires_at = ? WHERE retires_at IS NULL AND id <> ?")) {
                        retire.setObject(1, OffsetDateTime.ofInstant(next.activatesAt().plus(RETIRE_AFTER), ZoneOffset.UTC));
                        retire.setString(2, next.kid());
                        retire.executeUpdate();
                    }
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM signing_key WHERE retires_at < ?")) {
                        delete.setObject(1, OffsetDateTime.ofInstant(now.minus(DELETE_AFTER), ZoneOffset.UTC));
                        delete.executeUpdate();
                    }
                    Log.infof("Sign-in key %s published; it signs from %s", next.kid(), next.activatesAt());
                }
                connection.commit();
                reload(true);
                return next;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("could not rotate the sign-in key: " + e.getMessage(), e);
        }
    }

    /** Rotates when the key signing now has signed for {@code period} and no rotation is under way. */
    public Optional<SigningKey> rotateIfOlderThan(Duration period, Duration lead) {
        Instant now = clock.instant();
        SigningKey signing = current();
        boolean pending = keys.stream().anyMatch(k -> k.activatesAt().isAfter(now));
        if (pending || signing.activatesAt().plus(period).isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(rotate(lead));
    }

    private List<SigningKey> fresh(Instant now) {
        boolean due = loadedAt.plus(REFRESH).isBefore(now)
                || keys.stream().anyMatch(k -> k.activatesAt().isAfter(loadedAt) && !k.activatesAt().isAfter(now));
        if (due || keys.isEmpty()) {
            reload(keys.isEmpty());
        }
        return keys;
    }

    private synchronized void reload(boolean createWhenNone) {
        try (Connection connection = dataSource.getConnection()) {
            List<SigningKey> found = load(connection);
            if (found.isEmpty() && createWhenNone) {
                connection.setAutoCommit(false);
                lock(connection);
                found = load(connection);
                if (found.isEmpty()) {
                    SigningKey first = insert(connection, clock.instant(), clock.instant());
                    Log.infof("Sign-in key %s created", first.kid());
                    found = List.of(first);
                }
                connection.commit();
            }
            keys = List.copyOf(found);
            loadedAt = clock.instant();
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("sign-in signing keys unavailable: " + e.getMessage(), e);
        }
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, ROTATION_LOCK);
            lock.execute();
        }
    }

    private static SigningKey insert(Connection connection, Instant now, Instant activatesAt)
            throws SQLException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String kid = "sk-" + UUID.randomUUID().toString().substring(0, 8);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO signing_key (id, private_key, public_key, created_at, activates_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, kid);
            insert.setString(2, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            insert.setString(3, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            insert.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            insert.setObject(5, OffsetDateTime.ofInstant(activatesAt, ZoneOffset.UTC));
            insert.executeUpdate();
        }
        return new SigningKey(kid, pair.getPrivate(), (RSAPublicKey) pair.getPublic(), activatesAt, null);
    }

    private static List<SigningKey> load(Connection connection) throws SQLException, GeneralSecurityException {
        List<SigningKey> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, private_key, public_key, activates_at, retires_at FROM signing_key ORDER BY activates_at, id");
                ResultSet row = select.executeQuery()) {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            while (row.next()) {
                PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(row.getString(2))));
                RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                        new X509EncodedKeySpec(Base64.getDecoder().decode(row.getString(3))));
                OffsetDateTime retires = row.getObject(5, OffsetDateTime.class);
                found.add(new SigningKey(row.getString(1), privateKey, publicKey, row.getObject(4, OffsetDateTime.class).toInstant(),
                        retires == null ? null : retires.toInstant()));
            }
        }
        return found;
    }
}
