package io.unichannel.common.events;

import java.util.List;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How the platform's own Kafka clients (the durable producers, the outbox relay, the gateway's
 * live streams) connect: the bootstrap servers plus the same security settings the messaging
 * channels take from {@code kafka.*} (in Kubernetes: TLS and the service's SCRAM user, set by
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
 * {@code KAFKA_SSL_TRUSTSTORE_TYPE}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}). Local runs set none
 * and stay plaintext on loopback.
 */
public final class KafkaConnection {

    static final List<String> SECURITY_SETTINGS = List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.endpoint.identification.algorithm");

    private KafkaConnection() {
    }

    public static Properties properties(String bootstrapServers) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        var config = ConfigProvider.getConfig();
        for (String setting : SECURITY_SETTINGS) {
            config.getOptionalValue("kafka." + setting, String.class).ifPresent(value -> props.put(setting, value));
        }
        return props;
    }
}
