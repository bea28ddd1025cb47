package io.unichannel.analytics.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.unichannel.analytics.ComplaintFact;
import io.unichannel.analytics.Contribution;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.Sums;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Finds repeat complaints: complaints arrive keyed by the person (one identity across every
 * channel), each person's complaints of the last 30 days are kept in the "complaints-by-person"
 * store, and a complaint with another one before it inside that window counts as a repeat.
 */
class RepeatComplaints extends ContextualProcessor<String, ComplaintFact, String, Contribution> {

    static final String STORE = "complaints-by-person";
    static final Duration WINDOW = Duration.ofDays(30);

    /** A person's recent complaints: ticket ids and when each was opened. */
    record Recent(List<String> tickets, List<Long> openedAt) {
    }

    private KeyValueStore<String, Recent> store;

    @Override
    public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, Contribution> context) {
        super.init(context);
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, ComplaintFact> record) {
        ComplaintFact complaint = record.value();
        Recent recent = store.get(record.key());
        List<String> tickets = new ArrayList<>();
        List<Long> opened = new ArrayList<>();
        boolean repeat = false;
        if (recent != null) {
            for (int i = 0; i < recent.tickets().size(); i++) {
                long at = recent.openedAt().get(i);
                if (recent.tickets().get(i).equals(complaint.ticketId())) {
                    return; // counted already
                }
                if (at >= complaint.at() - WINDOW.toMillis() && at < complaint.at()) {
                    repeat = true;
                }
                if (at >= complaint.at() - WINDOW.toMillis()) {
                    tickets.add(recent.tickets().get(i));
                    opened.add(at);
                }
            }
        }
        tickets.add(complaint.ticketId());
        opened.add(complaint.at());
        store.put(record.key(), new Recent(tickets, opened));
        Contribution c = new Contribution(Kpi.REPEAT_COMPLAINT_RATE.id(), complaint.dimensions(), complaint.at(), Sums.ratio(repeat));
        context().forward(new Record<>(c.key(), c, record.timestamp()));
    }
}
