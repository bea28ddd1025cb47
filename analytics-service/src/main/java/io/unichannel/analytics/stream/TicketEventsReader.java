package io.unichannel.analytics.stream;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.unichannel.analytics.TicketFacts;
import io.unichannel.analytics.TicketLedger;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Reader of ticket-events: keeps each ticket's facts in the "tickets" store and passes on its KPI contributions. */
class TicketEventsReader extends Reader {

    static final String STORE = "tickets";
    /** Closed tickets are forgotten this long after their last event. */
    static final Duration KEEP_CLOSED = Duration.ofDays(35);

    private KeyValueStore<String, TicketFacts> tickets;

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        super.init(context);
        tickets = context.getStateStore(STORE);
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, now -> {
            try (var all = tickets.all()) {
                while (all.hasNext()) {
                    var entry = all.next();
                    if (!entry.value.open() && entry.value.lastSeenAt() < now - KEEP_CLOSED.toMillis()) {
                        tickets.delete(entry.key);
                    }
                }
            }
        });
    }

    @Override
    void read(Record<String, String> record, JsonNode value) {
        String id = TicketLedger.ticketId(value);
        TicketLedger.Step step = TicketLedger.apply(id == null ? null : tickets.get(id), value);
        if (step.after() == null) {
            return;
        }
        tickets.put(step.after().ticketId(), step.after());
        forward(record, step.contributions());
        if (step.complaint() != null) {
            context().forward(new Record<>(step.complaint().customerId(), Routed.of(step.complaint()), record.timestamp()));
        }
    }
}
