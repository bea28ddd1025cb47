package io.unichannel.common.security;

/**
 * How the services (and their tests) know the platform realm is fully provisioned: when
 * identity-service has finished making the realm match its blueprint, it records the blueprint's
 * version in a realm attribute, as its very last step.
 */
public final class PlatformRealm {

    /** Realm attribute that holds the version of the blueprint the realm was last provisioned to. */
    public static final String BLUEPRINT_ATTRIBUTE = "unichannelBlueprint";

    /**
     * Bump whenever identity-service's realm blueprint changes (clients, scopes, roles, identity
     * providers), so nobody mistakes a realm provisioned by older code for a complete one.
     */
    public static final String BLUEPRINT_VERSION = "3";

    private PlatformRealm() {
    }
}
