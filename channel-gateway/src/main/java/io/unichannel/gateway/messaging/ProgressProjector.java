package io.unichannel.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.events.BatchProcessor;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.tracking.ProgressRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumer of ticket-events, identity-events and dead-letters that keeps the progress view in
 * PostgreSQL (submissions are written by intake itself). One consumer group across replicas: each record is applied once
 * (and a replay changes nothing). A record that breaks the view's rules goes to dead-letters and
 * the rest go on; a database outage is waited out, never skipped.
 */
@ApplicationScoped
public class ProgressProjector {

    public static final String CHANNEL = "progress";

    private final ProgressRecords parser;
    private final ProgressRepository repository;
    private final BatchProcessor batches;

    public ProgressProjector(ProgressRecords parser, ProgressRepository repository, BatchProcessor batches) {
        this.parser = parser;
        this.repository = repository;
        this.batches = batches;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        return batches.process(records, parser::parse, repository::apply);
    }
}
