package io.unichannel.outbox;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Publishes a service's outbox with Debezium embedded: it reads inserts into outbox_event from
 * PostgreSQL's logical replication stream and sends each as a CloudEvent keyed by its aggregate id
 * (ticket id, customer id), to the topic the row names or else to the configured one. A batch's
 * position is confirmed to PostgreSQL only after Kafka has acknowledged every record in it, so a
 * crash can replay events (consumers deduplicate on the event id) but never lose one.
 */
@ApplicationScoped
public class OutboxRelay {

    private final OutboxRelayConfig config;
    private final EventProducer producer;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
    private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private volatile String failure;
    private volatile boolean running;

    public OutboxRelay(OutboxRelayConfig config, EventProducer producer) {
        this.config = config;
        this.producer = producer;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("Outbox relay disabled");
            return;
        }
        engine = DebeziumEngine.create(Connect.class)
                .using(properties())
                .notifying(this::publish)
                .using((success, message, error) -> {
                    running = false;
                    if (!success) {
                        failure = message;
                        Log.errorf(error, "Outbox relay stopped: %s", message);
                    }
                })
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        running = true;
                        failure = null;
                        Log.infof("Outbox relay streaming from slot %s", config.slot());
                    }
                })
                .build();
        executor.execute(engine);
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            if (engine != null) {
                engine.close();
            }
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warn("Outbox relay did not stop cleanly", e);
        }
    }

    /** True while the relay is streaming changes. */
    public boolean running() {
        return running;
    }

    public String failure() {
        return failure;
    }

    private void publish(List<ChangeEvent<SourceRecord, SourceRecord>> batch,
            RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        List<ProducerRecord<String, String>> records = new ArrayList<>(batch.size());
        for (ChangeEvent<SourceRecord, SourceRecord> change : batch) {
            Struct value = (Struct) change.value().value();
            if (value != null && "c".equals(value.getString("op"))) {
                records.add(toRecord(value.getStruct("after")));
            }
        }
        sendUntilAcknowledged(records);
        for (ChangeEvent<SourceRecord, SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }

    private ProducerRecord<String, String> toRecord(Struct row) {
        String key = row.getString("aggregate_id");
        CloudEvent event = new CloudEvent(row.getString("id"), config.source(), row.getString("event_type"), key,
                OffsetDateTime.parse(row.getString("occurred_at")), row.getString("payload"));
        String topic = row.getString("topic") != null ? row.getString("topic") : config.topic();
        return CloudEventRecords.toRecord(topic, key, event);
    }

    /** Kafka being away stalls the relay; it never skips an event. */
    private void sendUntilAcknowledged(List<ProducerRecord<String, String>> records) throws InterruptedException {
        long backoff = 100;
        while (true) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            records.forEach(r -> sent.add(producer.producer().send(r)));
            try {
                for (Future<RecordMetadata> future : sent) {
                    future.get();
                }
                return;
            } catch (ExecutionException e) {
                Log.warnf("Publishing %d outbox events failed, retrying in %d ms: %s", records.size(), backoff,
                        e.getCause());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("name", config.slot());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        // The replication slot keeps the position on the server; nothing to keep on local disk.
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", String.valueOf(config.offsetFlushIntervalMs()));
        p.setProperty("database.hostname", config.dbHost());
        p.setProperty("database.port", String.valueOf(config.dbPort()));
        p.setProperty("database.user", config.dbUser());
        p.setProperty("database.password", config.dbPassword());
        p.setProperty("database.dbname", config.dbName());
        p.setProperty("topic.prefix", config.slot());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", config.slot());
        p.setProperty("publication.name", "outbox_capture");
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", "public.outbox_event");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        // The poll interval is the latency floor between a commit and its event on Kafka.
        p.setProperty("poll.interval.ms", String.valueOf(config.pollIntervalMs()));
        p.setProperty("max.batch.size", "2048");
        p.setProperty("max.queue.size", "8192");
        return p;
    }

}
