package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unichannel.common.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s rendered with kustomize (as {@code kubectl apply -k} would) and read back: every
 * service runs with its own database role and Secrets, its own Kafka user over TLS, and ACLs that
 * let it write exactly the topics it owns (the table consumers check {@code ce_source} against).
 */
class KubernetesManifestsTest {

    private static final List<String> SERVICES = List.of("identity-service", "ticket-service", "channel-gateway",
            "survey-service", "analytics-service");
    private static final Map<String, String> DATABASE = Map.of("identity-service", "identity", "ticket-service", "ticket",
            "channel-gateway", "gateway", "survey-service", "survey", "analytics-service", "analytics");
    /** Secrets beyond its database and Kafka credentials that a service may read. */
    private static final Map<String, Set<String>> OTHER_SECRETS = Map.of(
            "identity-service", Set.of("identity-secrets", "keycloak-admin"),
            "channel-gateway", Set.of("channel-gateway-secrets", "sms-platform"),
            "ticket-service", Set.of("ticket-service-secrets"),
            "analytics-service", Set.of("analytics-service-secrets"));

    private static final List<JsonNode> OBJECTS = new ArrayList<>();

    @BeforeAll
    static void render() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", root.resolve("deploy/k8s").toString())
                .redirectErrorStream(true).start();
        String rendered = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue()).as(rendered).isZero();
        Files.writeString(root.resolve("system-tests/target/k8s-rendered.yaml"), rendered);
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(rendered)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.has("kind")) {
                    OBJECTS.add(doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("kustomize output is not YAML", e);
        }
    }

    @Test
    void everyServiceReadsOnlyItsOwnSecrets() {
        for (String service : SERVICES) {
            JsonNode deployment = object("Deployment", service);
            Set<String> referenced = new TreeSet<>();
            deployment.findValues("secretKeyRef").forEach(ref -> referenced.add(ref.path("name").asText()));
            deployment.findValues("secret").forEach(volume -> referenced.add(volume.path("secretName").asText()));
            Set<String> allowed = new HashSet<>(Set.of(service + "-db", service, "platform-kafka-cluster-ca-cert"));
            allowed.addAll(OTHER_SECRETS.getOrDefault(service, Set.of()));
            assertThat(referenced).as(service).isSubsetOf(allowed).contains(service + "-db", service);
            assertThat(env(deployment, "DB_NAME")).as(service).isEqualTo(DATABASE.get(service));
            assertThat(env(deployment, "KAFKA_SECURITY_PROTOCOL")).as(service).isEqualTo("SASL_SSL");
        }
        JsonNode keycloak = object("Keycloak", "platform-keycloak");
        assertThat(keycloak.at("/spec/db/usernameSecret/name").asText()).isEqualTo("keycloak-db");
        assertThat(keycloak.at("/spec/db/passwordSecret/name").asText()).isEqualTo("keycloak-db");
    }

    @Test
    void everyServiceHasADatabaseRoleWithRightsOnItsOwnDatabaseOnly() {
        JsonNode cluster = object("Cluster", "platform-db");
        Map<String, String> roleSecrets = new HashMap<>();
        cluster.at("/spec/managed/roles").forEach(role -> roleSecrets.put(role.path("name").asText(),
                role.at("/passwordSecret/name").asText()));
        List<String> sql = new ArrayList<>();
        cluster.at("/spec/bootstrap/initdb/postInitApplicationSQL").forEach(line -> sql.add(line.asText()));
        for (String service : SERVICES) {
            String database = DATABASE.get(service);
            assertThat(roleSecrets).as(service).containsEntry(database, service + "-db");
            if (!database.equals(cluster.at("/spec/bootstrap/initdb/database").asText())) {
                assertThat(sql).contains("CREATE DATABASE " + database + " OWNER " + database);
            } else {
                assertThat(cluster.at("/spec/bootstrap/initdb/owner").asText()).isEqualTo(database);
            }
            assertThat(sql).contains("REVOKE CONNECT, TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
        }
        assertThat(roleSecrets).containsEntry("keycloak", "keycloak-db").doesNotContainKey("app");
        assertThat(sql).contains("CREATE DATABASE keycloak OWNER keycloak")
                .noneMatch(line -> line.contains("OWNER app") || line.contains("ROLE app"));
    }

    /** Services that run a Kafka Streams topology: it manages topics and transactions under its own prefix only. */
    private static final Set<String> STREAMS_APPLICATIONS = Set.of("analytics-service");

    private static boolean streamsOwnResource(String service, JsonNode acl) {
        String type = acl.at("/resource/type").asText();
        boolean ownPrefix = (service + "-").equals(acl.at("/resource/name").asText())
                && "prefix".equals(acl.at("/resource/patternType").asText());
        return ("topic".equals(type) || "transactionalId".equals(type)) && ownPrefix
                || "cluster".equals(type) && acl.path("operations").toString().equals("[\"IdempotentWrite\"]");
    }

    @Test
    void kafkaTakesOnlyAuthenticatedTlsClientsAndEachServiceWritesOnlyTheTopicsItOwns() {
        JsonNode kafka = object("Kafka", "platform-kafka");
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        assertThat(kafka.at("/spec/kafka/listeners")).isNotEmpty().allSatisfy(listener -> {
            assertThat(listener.path("tls").asBoolean()).as(listener.toString()).isTrue();
            assertThat(listener.at("/authentication/type").asText()).as(listener.toString()).isNotEmpty();
        });
        Set<String> topics = new HashSet<>();
        OBJECTS.stream().filter(o -> "KafkaTopic".equals(o.path("kind").asText()))
                .forEach(o -> topics.add(o.at("/metadata/name").asText()));
        assertThat(topics).containsAll(Topics.ALL);

        for (String service : SERVICES) {
            JsonNode user = object("KafkaUser", service);
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            Set<String> writes = new TreeSet<>();
            Set<String> groups = new TreeSet<>();
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                String type = acl.at("/resource/type").asText();
                if (STREAMS_APPLICATIONS.contains(service) && streamsOwnResource(service, acl)) {
                    continue;
                }
                List<String> operations = new ArrayList<>();
                acl.path("operations").forEach(op -> operations.add(op.asText()));
                assertThat(operations).as(service + " " + acl).doesNotContain("All", "Alter", "Delete", "Create");
                if ("topic".equals(type) && operations.contains("Write")) {
                    writes.add(acl.at("/resource/name").asText());
                }
                if ("group".equals(type)) {
                    groups.add(acl.at("/resource/name").asText());
                }
                assertThat(type).as(service + " " + acl).isIn("topic", "group");
                assertThat(acl.at("/resource/patternType").asText("literal")).as(service + " " + acl)
                        .isEqualTo("topic".equals(type) ? "literal" : "prefix");
            }
            String source = "/unichannel/" + service;
            Set<String> owned = new TreeSet<>();
            Topics.OWNERS.forEach((topic, owners) -> {
                if (owners.contains(source)) {
                    owned.add(topic);
                }
            });
            assertThat(writes).as(service).isEqualTo(owned);
            assertThat(groups).as(service).containsExactly(service);
        }
    }

    private static JsonNode object(String kind, String name) {
        return OBJECTS.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered manifests"));
    }

    private static String env(JsonNode deployment, String name) {
        for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
            for (JsonNode variable : container.path("env")) {
                if (name.equals(variable.path("name").asText())) {
                    return variable.path("value").asText(null);
                }
            }
        }
        return null;
    }
}
