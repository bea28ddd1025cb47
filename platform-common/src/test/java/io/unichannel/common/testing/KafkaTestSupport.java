package io.unichannel.common.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.unichannel.common.events.DurableProducers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Writes to and reads from the real Kafka broker the way a producing service or a BI consumer would. */
public final class KafkaTestSupport {

    private KafkaTestSupport() {
    }

    /** Sends a record and waits for the broker to acknowledge it. */
    public static RecordMetadata send(ProducerRecord<String, String> record) {
        try (KafkaProducer<String, String> producer = DurableProducers.create(PlatformInfra.kafkaBootstrapServers(),
                "platform-tests")) {
            return producer.send(record).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("Kafka at " + PlatformInfra.kafkaBootstrapServers() + " did not take the record", e);
        }
    }

    /** Reads back the record stored at a position, as any consumer of the topic sees it. */
    public static ConsumerRecord<String, String> read(RecordMetadata position) {
        TopicPartition partition = new TopicPartition(position.topic(), position.partition());
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, position.offset());
            Instant deadline = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == position.offset()) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("record at " + position + " could not be read back");
    }

    /**
     * Reads what this test run wrote to a topic and returns the records that match: everything
     * already there, then whatever arrives within {@code wait}, stopping early once {@code expected}
     * have been found. Reading the existing records is not limited by {@code wait}, only by a
     * five-minute safety cap.
     */
    public static List<ConsumerRecord<String, String>> readMatching(String topic,
            Predicate<ConsumerRecord<String, String>> filter, int expected, Duration wait) {
        List<ConsumerRecord<String, String>> matches = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            seekToThisRun(consumer, partitions);
            Map<TopicPartition, Long> existing = consumer.endOffsets(partitions);
            Instant cap = Instant.now().plus(Duration.ofMinutes(5));
            Instant deadline = Instant.now().plus(wait);
            boolean caughtUp = false;
            while (matches.size() < expected && Instant.now().isBefore(cap)
                    && (!caughtUp || Instant.now().isBefore(deadline))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (filter.test(record)) {
                        matches.add(record);
                    }
                });
                if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= existing.get(p))) {
                    caughtUp = true;
                    deadline = Instant.now().plus(wait);
                }
            }
        }
        return matches;
    }

    /**
     * Records of earlier test runs (long-lived local topics) are skipped: reading starts at what was
     * written since shortly before this test JVM started, found by timestamp, not by a scan.
     */
    private static void seekToThisRun(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        long since = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() - 60_000;
        Map<TopicPartition, Long> query = new java.util.HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            var at = found.get(partition);
            consumer.seek(partition, at != null ? at.offset() : end.get(partition));
        }
    }

    /**
     * Gives a new consumer group a position at the current end of these topics, so services
     * started in it see only what a test sends from now on (and never lose a record to a reset).
     */
    public static void startGroupAtEnd(String group, List<String> topics) {
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                PlatformInfra.kafkaBootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> query = new java.util.HashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(p -> query.put(new TopicPartition(description.name(), p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new java.util.HashMap<>();
            admin.listOffsets(query).all().get().forEach((p, info) ->
                    offsets.put(p, new org.apache.kafka.clients.consumer.OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("could not position group " + group, e);
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PlatformInfra.kafkaBootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
