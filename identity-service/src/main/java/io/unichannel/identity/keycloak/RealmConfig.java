package io.unichannel.identity.keycloak;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the platform realm that identity-service provisions in Keycloak. */
@ConfigMapping(prefix = "platform.realm")
public interface RealmConfig {

    /** The realm's name; every service's token issuer ends with it. */
    String name();

    /** Give confidential clients the secret {@code <client id>-local-secret}; for local runs only. */
    @WithDefault("false")
    boolean localClientSecrets();

    /** Redirect URIs allowed for the browser-based channel clients (web, app, store, staff console). */
    List<String> redirectUris();
}
