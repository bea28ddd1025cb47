package io.unichannel.analytics.messaging;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.analytics.PainPointMap;
import io.unichannel.analytics.service.PainPoints;
import io.unichannel.common.events.CloudEvent;
import io.unichannel.common.events.CloudEventRecords;
import io.unichannel.common.events.DeadLetters;
import io.unichannel.common.events.Failures;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the pain-point list's signals: complaints opened and SLA breaches from ticket-events, low
 * survey answers (and every answer, for the rate) from survey-events. Each event's signals are
 * recorded once, keyed by its id; an event that cannot be read goes to dead-letters with the
 * reason; a database outage is waited out.
 */
@ApplicationScoped
public class PainSignalConsumer {

    private final PainPoints painPoints;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public PainSignalConsumer(PainPoints painPoints, DeadLetters deadLetters, ObjectMapper json) {
        this.painPoints = painPoints;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming("pain-ticket-events")
    public Uni<Void> ticketEvent(ConsumerRecord<String, String> record) {
        return consume(record, true);
    }

    @Incoming("pain-survey-events")
    public Uni<Void> surveyEvent(ConsumerRecord<String, String> record) {
        return consume(record, false);
    }

    private Uni<Void> consume(ConsumerRecord<String, String> record, boolean ticket) {
        CloudEvent event;
        List<PainPointMap.Signal> signals;
        try {
            event = CloudEventRecords.fromOwner(record);
            PainPointMap map = painPoints.map();
            signals = ticket ? map.ticketSignals(event.type(), json.readTree(event.data()), painPoints.zone())
                    : map.surveySignals(event.type(), json.readTree(event.data()), painPoints.zone());
        } catch (Exception e) {
            return deadLetters.send(record, "no pain signal can be read: " + e.getMessage());
        }
        if (signals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return painPoints.record(event.id(), signals)
                .onFailure(Failures::isPoison).recoverWithUni(e -> deadLetters.send(record, "refused: " + e).replaceWith(0))
                .onFailure().invoke(e -> Log.warnf("Pain signals of %s not recorded yet (%s); retrying", event.id(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }
}
