package io.unichannel.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * deploy/k8s/monitoring/metrics.json: every metric the dashboards and alert rules read, with the
 * services that export it. The manifest test checks that queries read only listed metrics; the
 * system tests that run each service check that it really exports what is listed under it.
 */
final class MetricsCatalogue {

    static final Path MONITORING = Path.of("..").toAbsolutePath().normalize().resolve("deploy/k8s/monitoring");

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MetricsCatalogue() {
    }

    static JsonNode read() {
        try {
            return new ObjectMapper().readTree(MONITORING.resolve("metrics.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every metric a service's catalogue entry names, exported or external. */
    static Set<String> known() {
        JsonNode catalogue = read();
        Set<String> names = new TreeSet<>();
        catalogue.path("metrics").fieldNames().forEachRemaining(names::add);
        catalogue.path("external").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The metric names a PromQL expression reads (not functions, keywords, labels or durations). */
    static Set<String> metricsIn(String promql) {
        String expr = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\w+", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(expr);
        while (m.find()) {
            String token = m.group();
            int after = m.end();
            while (after < expr.length() && Character.isWhitespace(expr.charAt(after))) {
                after++;
            }
            boolean function = after < expr.length() && expr.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(expr.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(token.toLowerCase())) {
                names.add(token);
            }
        }
        return names;
    }

    /**
     * Reads the running service's /q/metrics and checks that every metric the catalogue lists
     * under it is there: dashboards and alerts never read a metric that does not exist.
     */
    static void assertExportedBy(String service, String baseUrl) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(baseUrl + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Set<String> exported = new TreeSet<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = IDENTIFIER.matcher(line);
                if (m.lookingAt()) {
                    exported.add(m.group());
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> metrics = read().path("metrics").fields();
        while (metrics.hasNext()) {
            Map.Entry<String, JsonNode> metric = metrics.next();
            for (JsonNode exporter : metric.getValue().path("services")) {
                if (exporter.asText().equals(service)) {
                    expected.add(metric.getKey());
                }
            }
        }
        assertThat(expected).as("metrics.json lists metrics for " + service).isNotEmpty();
        assertThat(exported).as(service + " /q/metrics against deploy/k8s/monitoring/metrics.json").containsAll(expected);
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
