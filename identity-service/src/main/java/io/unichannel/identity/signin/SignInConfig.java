package io.unichannel.identity.signin;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Limits of the channel sign-in flows. */
@ConfigMapping(prefix = "identity.sign-in")
public interface SignInConfig {

    /** The issuer name of identity-service's sign-in assertions, as Keycloak's identity provider knows it. */
    String issuer();

    Otp otp();

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
    }

    interface Guard {
        /** Wrong tries (codes, service passwords, ID checks) before the flow locks for that number. */
        int maxFailures();

        /** How long a locked flow stays locked. */
        Duration lockDuration();
    }
}
