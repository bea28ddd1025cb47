package io.unichannel.identity.signin;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Limits of the channel sign-in flows. */
@ConfigMapping(prefix = "identity.sign-in")
public interface SignInConfig {

    /** The issuer name of identity-service's sign-in assertions, as Keycloak's identity provider knows it. */
    String issuer();

    Otp otp();

    Keys keys();

    Guard guard();

    interface Otp {
        /** Digits in a code. */
        int length();

        /** How long a code stays valid. */
        Duration ttl();

        /** Least time between two codes for one number. */
        Duration resendInterval();

        /** Most codes per number per hour. */
        int maxPerHour();

        /** How often expired codes are wiped and old challenges removed (a scheduler period, e.g. 1m). */
        String sweepEvery();
    }

    /** The assertion signing keys and how Keycloak learns them. */
    interface Keys {
        /**
         * Where Keycloak reads the public keys (this service's JWKS, through its Kubernetes
         * Service); unset, this replica's own address on loopback.
         */
        java.util.Optional<String> jwksUrl();

        /** How long a key signs before the next one takes over. */
        Duration rotationPeriod();

        /**
         * How long a new key is published before it signs: more than Keycloak's least time between
         * two fetches of a JWKS (10 s), so Keycloak can always learn the key before it sees it.
         */
        Duration publishLead();
    }

    interface Guard {
        /** Wrong tries (codes, service passwords, ID checks) before the flow locks for that number. */
        int maxFailures();

        /** How long a locked flow stays locked. */
        Duration lockDuration();
    }
}
