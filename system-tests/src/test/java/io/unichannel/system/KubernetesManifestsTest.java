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
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RENDERED = ROOT.resolve("system-tests/target/k8s-rendered.yaml");
    private static final Path VALIDATOR = ROOT.resolve("deploy/k8s/validate");

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

    /** The validator's verdict on a rendered file: exit code and one line per object. */
    private record Verdict(int exit, List<String> lines) {
    }

    private static Verdict validate(Path rendered) throws Exception {
        if (!Files.isDirectory(VALIDATOR.resolve("node_modules"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(VALIDATOR.toFile()).redirectErrorStream(true).start();
            String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as("npm ci in deploy/k8s/validate: " + out).isZero();
        }
        Process node = new ProcessBuilder("node", "validate.mjs", rendered.toString()).directory(VALIDATOR.toFile())
                .redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Verdict(node.exitValue(), out.lines().toList());
    }

    @Test
    void everyRenderedObjectValidatesAgainstTheSchemaOfItsKind() throws Exception {
        Verdict verdict = validate(RENDERED);
        assertThat(verdict.lines()).as("objects the validator refused").noneMatch(line -> line.startsWith("INVALID"));
        assertThat(verdict.exit()).as(String.join("\n", verdict.lines())).isZero();
        assertThat(verdict.lines().stream().filter(line -> line.startsWith("OK ")).count()).isEqualTo(OBJECTS.size());
    }

    @Test
    void brokenManifestsFailValidationWhateverTheKind() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>> breaks = new java.util.LinkedHashMap<>();
        breaks.put("Deployment/ticket-service", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec")).put("replicas", "two"));
        breaks.put("Deployment/channel-gateway", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/template/spec/containers/0"))
                .remove("name"));
        breaks.put("Service/survey-service", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/ports/0")).put("port", "http"));
        breaks.put("PodDisruptionBudget/identity-service", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec"))
                .put("selector", "app=identity-service"));
        breaks.put("KafkaTopic/ticket-events", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec")).put("partitions", "many"));
        breaks.put("KafkaUser/ticket-service", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/authentication"))
                .put("type", "password-in-clear"));
        breaks.put("Cluster/platform-db", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec")).put("instances", "three"));
        breaks.put("Keycloak/platform-keycloak", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/db"))
                .set("usernameSecrett", ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/db")).remove("usernameSecret")));
        breaks.put("ServiceMonitor/analytics-service", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec")).put("endpoints", "/q/metrics"));
        breaks.put("PrometheusRule/unichannel-alerts", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.at("/spec/groups/0"))
                .remove("name"));
        breaks.put("HorizontalPodAutoscaler/survey-service", o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.path("spec"))
                .remove("scaleTargetRef"));

        StringBuilder broken = new StringBuilder();
        Set<String> expectedInvalid = new TreeSet<>(breaks.keySet());
        for (JsonNode original : OBJECTS) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = original.deepCopy();
            String id = original.path("kind").asText() + "/" + original.at("/metadata/name").asText();
            if (breaks.containsKey(id)) {
                breaks.get(id).accept(copy);
            }
            broken.append("---\n").append(yaml.writeValueAsString(copy));
        }
        // A kind no schema knows (a typo in kind) is refused too: nothing reaches a cluster unchecked.
        broken.append("---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: typo}\nspec: {}\n");
        expectedInvalid.add("Deploymnet/typo");
        Path file = ROOT.resolve("system-tests/target/k8s-broken.yaml");
        Files.writeString(file, broken);

        Verdict verdict = validate(file);
        assertThat(verdict.exit()).isNotZero();
        Set<String> invalid = new TreeSet<>();
        verdict.lines().stream().filter(line -> line.startsWith("INVALID ")).forEach(line ->
                invalid.add(line.substring("INVALID ".length(), line.indexOf(':'))));
        assertThat(invalid).as(String.join("\n", verdict.lines())).isEqualTo(expectedInvalid);
    }

    @Test
    void everyServiceRunsSpreadGuardedProbedAndWithResources() {
        for (String service : SERVICES) {
            JsonNode deployment = object("Deployment", service);
            JsonNode pod = deployment.at("/spec/template/spec");
            assertThat(deployment.at("/spec/replicas").asInt()).as(service).isGreaterThanOrEqualTo(2);
            assertThat(object("HorizontalPodAutoscaler", service).at("/spec/minReplicas").asInt()).as(service).isGreaterThanOrEqualTo(2);
            List<String> spreadKeys = new ArrayList<>();
            pod.path("topologySpreadConstraints").forEach(c -> {
                assertThat(c.at("/labelSelector/matchLabels/app.kubernetes.io~1name").asText()).as(service).isEqualTo(service);
                spreadKeys.add(c.path("topologyKey").asText() + "=" + c.path("whenUnsatisfiable").asText());
            });
            assertThat(spreadKeys).as(service).contains("kubernetes.io/hostname=DoNotSchedule", "topology.kubernetes.io/zone=ScheduleAnyway");
            JsonNode budget = object("PodDisruptionBudget", service);
            assertThat(budget.at("/spec/minAvailable").asInt()).as(service).isGreaterThanOrEqualTo(1);
            assertThat(budget.at("/spec/selector/matchLabels")).as(service)
                    .isEqualTo(deployment.at("/spec/selector/matchLabels"));
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/resources/requests/cpu").asText()).as(service).isNotEmpty();
            assertThat(container.at("/resources/requests/memory").asText()).as(service).isNotEmpty();
            assertThat(container.at("/resources/limits/memory").asText()).as(service).isNotEmpty();
            // Probes on the services' real health semantics: started (migrated), live, ready (database,
            // Kafka, outbox relay), all on the named HTTP port.
            assertThat(container.at("/startupProbe/httpGet/path").asText()).as(service).isEqualTo("/q/health/started");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(service).isEqualTo("/q/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(service).isEqualTo("/q/health/ready");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(service + " " + probe).isEqualTo("http");
            }
            assertThat(object("ServiceMonitor", service).at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        }
        JsonNode endpoints = object("ConfigMap", "platform-endpoints");
        assertThat(endpoints.at("/data/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").asText()).startsWith("http");
        JsonNode cluster = object("Cluster", "platform-db");
        assertThat(cluster.at("/spec/backup/barmanObjectStore/destinationPath").asText()).isNotEmpty();
        assertThat(object("ScheduledBackup", "platform-db-nightly").at("/spec/cluster/name").asText()).isEqualTo("platform-db");
    }

    @Test
    void everyAlertHasARunbookEntryAndReadsOnlyMetricsThatExist() {
        String runbooks = MetricsCatalogue.text(ROOT.resolve("docs/operations/runbooks.md"));
        Set<String> anchors = new TreeSet<>();
        runbooks.lines().filter(line -> line.startsWith("#")).forEach(line -> anchors.add(line.replaceFirst("^#+\\s*", "")
                .toLowerCase().replaceAll("[^a-z0-9 -]", "").trim().replace(' ', '-')));
        Set<String> known = MetricsCatalogue.known();
        int alerts = 0;
        for (JsonNode group : object("PrometheusRule", "unichannel-alerts").at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                alerts++;
                String runbook = rule.at("/annotations/runbook_url").asText();
                assertThat(runbook).as(alert).startsWith("docs/operations/runbooks.md#");
                assertThat(anchors).as(alert + " runbook entry").contains(runbook.substring(runbook.indexOf('#') + 1));
                assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("critical", "warning");
                Set<String> read = MetricsCatalogue.metricsIn(rule.path("expr").asText());
                assertThat(read).as(alert).isNotEmpty();
                assertThat(known).as(alert + " reads " + read).containsAll(read);
            }
        }
        assertThat(alerts).isGreaterThanOrEqualTo(10);
    }

    @Test
    void everyDashboardIsProvisionedAndItsPanelsReadOnlyMetricsThatExist() throws IOException {
        JsonNode dashboards = object("ConfigMap", "unichannel-dashboards");
        assertThat(dashboards.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        Set<String> known = MetricsCatalogue.known();
        Set<String> files = new TreeSet<>();
        dashboards.path("data").fieldNames().forEachRemaining(files::add);
        Set<String> expected = new TreeSet<>(Set.of("platform-overview.json"));
        SERVICES.forEach(s -> expected.add(s + ".json"));
        assertThat(files).isEqualTo(expected);
        for (String file : files) {
            JsonNode dashboard = new ObjectMapper().readTree(dashboards.path("data").path(file).asText());
            assertThat(dashboard.path("uid").asText()).as(file).isNotEmpty();
            assertThat(dashboard.path("panels")).as(file).isNotEmpty();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(ids.add(panel.path("id").asInt())).as(file + " panel ids are unique").isTrue();
                assertThat(panel.path("targets")).as(file + " " + panel.path("title")).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    Set<String> read = MetricsCatalogue.metricsIn(target.path("expr").asText());
                    assertThat(read).as(file + " " + panel.path("title")).isNotEmpty();
                    assertThat(known).as(file + " " + panel.path("title").asText() + " reads " + read).containsAll(read);
                }
            }
        }
    }

    @Test
    void promqlMetricNamesAreToldApartFromFunctionsLabelsAndDurations() {
        assertThat(MetricsCatalogue.metricsIn("histogram_quantile(0.99, sum by (job, le) (rate(http_server_requests_seconds_bucket{status=~\"5..\"}[5m])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(MetricsCatalogue.metricsIn("sum by (namespace) (increase(x_total{action=\"breach\"}[1d] offset 1d)) / 24 and up > 0"))
                .containsExactly("x_total", "up");
        assertThat(MetricsCatalogue.metricsIn("(max by (cluster) (cert_ms) / 1000 - time()) < 14 * 86400")).containsExactly("cert_ms");
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
