package io.unichannel.common.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * Fails closed: a service running in the production profile (what a packaged jar or a container
 * runs unless told otherwise) refuses to start while any secret still has its known local
 * default. Local runs (`./platform`, the tests) say so with {@code QUARKUS_PROFILE=local}.
 */
@ApplicationScoped
public class ProductionSecrets {

    /** Each secret's property, the environment variable that sets it, and its local default. */
    record Secret(String property, String variable, String localDefault) {
    }

    static final List<Secret> SECRETS = List.of(
            new Secret("quarkus.datasource.password", "DB_PASSWORD", "postgres"),
            new Secret("platform.outbox.db-password", "DB_PASSWORD", "postgres"),
            new Secret("quarkus.keycloak.admin-client.password", "KEYCLOAK_ADMIN_PASSWORD", "admin"),
            new Secret("identity.hash-secret", "IDENTITY_HASH_SECRET", "local-only-identity-hash-secret"),
            new Secret("platform.notification-seal-key", "NOTIFICATION_SEAL_KEY", "local-only-notification-seal-key"),
            new Secret("platform.realm.local-client-secrets", "PLATFORM_LOCAL_CLIENT_SECRETS (must be false)", "true"),
            new Secret("ticket.hub.secret-key", "HUB_SECRET_KEY", "local-only-hub-secret-key"),
            new Secret("ticket.oss.events-secret", "OSS_EVENTS_SECRET", "local-only-oss-events-secret"),
            new Secret("gateway.wechat.token", "GATEWAY_WECHAT_TOKEN", "local-only-wechat-token"),
            new Secret("gateway.sms.webhook-secret", "GATEWAY_SMS_WEBHOOK_SECRET", "local-only-sms-webhook-secret"),
            new Secret("quarkus.oidc-client.sms.credentials.secret", "GATEWAY_SMS_CLIENT_SECRET", "channel-sms-local-secret"),
            new Secret("quarkus.oidc.portal.credentials.secret", "GATEWAY_PORTAL_CLIENT_SECRET", "channel-web-local-secret"),
            new Secret("quarkus.oidc.portal.token-state-manager.encryption-secret", "GATEWAY_PORTAL_SESSION_SECRET",
                    "local-only-portal-session-secret-0123456789"),
            new Secret("gateway.cti.webhook-secret", "GATEWAY_CTI_WEBHOOK_SECRET", "local-only-cti-webhook-secret"),
            new Secret("quarkus.oidc-client.hotline.credentials.secret", "GATEWAY_HOTLINE_CLIENT_SECRET",
                    "channel-hotline-local-secret"),
            new Secret("gateway.wechat.app-secret", "GATEWAY_WECHAT_APP_SECRET", "local-only-wechat-app-secret"),
            new Secret("gateway.wechat.encoding-aes-key", "GATEWAY_WECHAT_AES_KEY", "bG9jYWwtb25seS13ZWNoYXQtYWVzLWtleS0wMTIzNDU"),
            new Secret("quarkus.oidc-client.wechat.credentials.secret", "GATEWAY_WECHAT_CLIENT_SECRET",
                    "channel-wechat-local-secret"),
            new Secret("quarkus.oidc-client.push.credentials.client-secret.value", "GATEWAY_PUSH_APP_SECRET",
                    "local-only-push-app-secret"),
            new Secret("gateway.cti.api-token", "GATEWAY_CTI_API_TOKEN", "local-only-cti-api-token"),
            new Secret("quarkus.oidc.desk.credentials.secret", "DESK_CLIENT_SECRET", "staff-desk-local-secret"),
            new Secret("quarkus.oidc.desk.token-state-manager.encryption-secret", "DESK_SESSION_SECRET",
                    "local-only-desk-session-secret-0123456789"),
            new Secret("quarkus.oidc.dashboard.credentials.secret", "DESK_CLIENT_SECRET", "staff-desk-local-secret"),
            new Secret("quarkus.oidc.dashboard.token-state-manager.encryption-secret", "DASHBOARD_SESSION_SECRET",
                    "local-only-dashboard-session-secret-0123456789"));

    void check(@Observes StartupEvent event, Config config) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        List<String> defaults = localDefaultsIn(property -> config.getOptionalValue(property, String.class).orElse(null));
        if (!defaults.isEmpty()) {
            throw new IllegalStateException("Refusing to start in production with local default secrets: "
                    + String.join(", ", defaults) + ". Set them from the deployment's secrets "
                    + "(for a local run: QUARKUS_PROFILE=local).");
        }
    }

    /** The variables whose properties still hold their local default. */
    static List<String> localDefaultsIn(java.util.function.Function<String, String> values) {
        Map<String, Boolean> found = new LinkedHashMap<>();
        for (Secret secret : SECRETS) {
            if (secret.localDefault().equals(values.apply(secret.property()))) {
                found.put(secret.variable(), true);
            }
        }
        return new ArrayList<>(found.keySet());
    }
}
