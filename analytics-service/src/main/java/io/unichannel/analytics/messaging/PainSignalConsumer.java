package io.unichannel.analytics.messaging;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.unichannel.analytics.PainPointMap;
import io.unichannel.analytics.service.PainPoints;
import io.unichannel.common.events.BatchProcessor;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the pain-point list's signals in batches, one transaction per batch: complaints opened and
 * SLA breaches from ticket-events, survey answers from survey-events. Each event's signals are
 * recorded once, keyed by its id; an event that cannot be read (or that the database refuses) goes
 * to dead-letters with the reason; a database outage is waited out (BatchProcessor).
 */
@ApplicationScoped
public class PainSignalConsumer {

    private final PainPoints painPoints;
    private final BatchProcessor batches;
    private final ObjectMapper json;

    public PainSignalConsumer(PainPoints painPoints, BatchProcessor batches, ObjectMapper json) {
        this.painPoints = painPoints;
        this.batches = batches;
        this.json = json;
    }

    @Incoming("pain-ticket-events")
    public Uni<Void> ticketEvents(ConsumerRecords<String, String> records) {
        return batches.process(records, record -> read(record, true), painPoints::record);
    }

    @Incoming("pain-survey-events")
    public Uni<Void> surveyEvents(ConsumerRecords<String, String> records) {
        return batches.process(records, record -> read(record, false), painPoints::record);
    }

    /** The event's signals; empty when it has none; throws when it cannot be read. */
    private Optional<PainPoints.Recorded> read(ConsumerRecord<String, String> record, boolean ticket) {
        CloudEvent event;
        List<PainPointMap.Signal> signals;
        try {
            event = CloudEventRecords.fromOwner(record);
            if (!PainPointMap.mayHaveSignals(event.type(), event.data())) {
                return Optional.empty();
            }
            PainPointMap map = painPoints.map();
            signals = ticket ? map.ticketSignals(event.type(), json.readTree(event.data()), painPoints.zone())
                    : map.surveySignals(event.type(), json.readTree(event.data()), painPoints.zone());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("no pain signal can be read: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("no pain signal can be read: " + e.getMessage(), e);
        }
        return signals.isEmpty() ? Optional.empty() : Optional.of(new PainPoints.Recorded(event.id(), signals));
    }
}
