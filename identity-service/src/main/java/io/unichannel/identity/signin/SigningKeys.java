package io.unichannel.identity.signin;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

import javax.sql.DataSource;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The RSA key identity-service signs its sign-in assertions with. Kept in the service's database
 * so every replica signs with the same key and Keycloak trusts one public key; the first replica
 * to start creates it.
 */
@ApplicationScoped
public class SigningKeys {

    /** The current key: id (JWT kid), private half for signing, public half (X.509, base64) for Keycloak. */
    public record SigningKey(String kid, PrivateKey privateKey, String publicKeyBase64) {
    }

    private final DataSource dataSource;
    private volatile SigningKey current;

    public SigningKeys(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Loads the key, creating it on first use. Blocking (JDBC): call off the event loop. */
    public synchronized SigningKey current() {
        if (current == null) {
            current = loadOrCreate();
        }
        return current;
    }

    private SigningKey loadOrCreate() {
        try (Connection connection = dataSource.getConnection()) {
            SigningKey found = load(connection);
            if (found != null) {
                return found;
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO signing_key (id, private_key, public_key, created_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT DO NOTHING")) {
                insert.setString(1, "sk-" + UUID.randomUUID().toString().substring(0, 8));
                insert.setString(2, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                insert.setString(3, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
                insert.setObject(4, OffsetDateTime.now());
                insert.executeUpdate();
            }
            // Another replica may have won the race: everybody uses the oldest key.
            SigningKey key = load(connection);
            Log.infof("Sign-in assertion key %s in use", key.kid());
            return key;
        } catch (SQLException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("sign-in signing key unavailable: " + e.getMessage(), e);
        }
    }

    private static SigningKey load(Connection connection) throws SQLException, java.security.GeneralSecurityException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, private_key, public_key FROM signing_key ORDER BY created_at, id LIMIT 1");
                ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(row.getString(2))));
            PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(row.getString(3))));
            return new SigningKey(row.getString(1), privateKey, Base64.getEncoder().encodeToString(publicKey.getEncoded()));
        }
    }
}
