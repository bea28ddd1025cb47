package io.unichannel.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which secrets still hold their local defaults. */
class ProductionSecretsTest {

    @Test
    void everyLocalDefaultIsNamedByItsVariableAndRealSecretsPass() {
        Map<String, String> values = new HashMap<>();
        ProductionSecrets.SECRETS.forEach(s -> values.put(s.property(), s.localDefault()));
        assertThat(ProductionSecrets.localDefaultsIn(values::get)).startsWith("DB_PASSWORD", "KEYCLOAK_ADMIN_PASSWORD",
                "IDENTITY_HASH_SECRET", "NOTIFICATION_SEAL_KEY", "PLATFORM_LOCAL_CLIENT_SECRETS (must be false)")
                .contains("GATEWAY_WECHAT_TOKEN", "GATEWAY_SMS_WEBHOOK_SECRET", "GATEWAY_CTI_WEBHOOK_SECRET",
                        "GATEWAY_PORTAL_SESSION_SECRET")
                .containsExactlyElementsOf(ProductionSecrets.SECRETS.stream().map(ProductionSecrets.Secret::variable)
                        .distinct().toList());

        ProductionSecrets.SECRETS.forEach(s -> values.put(s.property(), "from-the-vault-" + s.variable()));
        values.put("platform.realm.local-client-secrets", "false");
        assertThat(ProductionSecrets.localDefaultsIn(values::get)).isEmpty();
        // a service that does not use a secret at all (no value) is not held up by it
        assertThat(ProductionSecrets.localDefaultsIn(property -> null)).isEmpty();
    }
}
