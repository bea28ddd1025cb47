-- Subscription secrets are stored sealed (AES-256-GCM, base64url: nonce, ciphertext and tag).
ALTER TABLE hub_subscription ALTER COLUMN secret TYPE varchar(200);
