package io.unichannel.common.testing;

/**
 * Where the tests find the real infrastructure that {@code ./platform test} starts. Every address
 * can be overridden by the same environment variables the services read.
 */
public final class PlatformInfra {

    private PlatformInfra() {
    }

    public static String kafkaBootstrapServers() {
        return setting("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
    }

    public static String keycloakUrl() {
        return setting("KEYCLOAK_URL", "http://127.0.0.1:18080");
    }

    public static String realm() {
        return setting("PLATFORM_REALM", "unichannel");
    }

    public static String keycloakAdminUser() {
        return setting("KEYCLOAK_ADMIN_USER", "admin");
    }

    public static String keycloakAdminPassword() {
        return setting("KEYCLOAK_ADMIN_PASSWORD", "admin");
    }

    private static String setting(String env, String fallback) {
        String property = System.getProperty(env);
        if (property != null && !property.isBlank()) {
            return property;
        }
        String value = System.getenv(env);
        return value == null || value.isBlank() ? fallback : value;
    }
}
