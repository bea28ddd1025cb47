package io.unichannel.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.unichannel.common.testing.EventSchemaAssert;
import org.junit.jupiter.api.Test;

/** The topic constants, the AsyncAPI document and the local topic list describe the same topics. */
class TopicsDocumentedTest {

    private static final Path ROOT = EventSchemaAssert.eventsDirectory().getParent().getParent();

    @Test
    void asyncApiDescribesEveryTopicAndEventType() throws IOException {
        String asyncApi = Files.readString(ROOT.resolve("docs/asyncapi.yaml"));
        for (String topic : Topics.ALL) {
            assertThat(asyncApi).as("docs/asyncapi.yaml channel address for " + topic)
                    .contains("address: " + topic + "\n");
        }
        EventTypes.BY_TOPIC.values().stream().flatMap(List::stream).forEach(type ->
                assertThat(asyncApi).as("docs/asyncapi.yaml message for " + type)
                        .contains("events/" + type + ".schema.json"));
    }

    @Test
    void localPlatformCreatesEveryTopic() throws IOException {
        List<String> created = Files.readAllLines(ROOT.resolve("deploy/local/topics.conf")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\\s+")[0]).toList();
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void kubernetesCreatesEveryTopic() throws IOException {
        String manifests = Files.readString(ROOT.resolve("deploy/k8s/infra/kafka-topics.yaml"));
        for (String topic : Topics.ALL) {
            assertThat(manifests).as("KafkaTopic for " + topic).contains("  name: " + topic + "\n");
        }
    }
}
