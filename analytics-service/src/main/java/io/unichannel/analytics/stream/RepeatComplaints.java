package io.unichannel.analytics.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.unichannel.analytics.ComplaintFact;
import io.unichannel.analytics.Contribution;
import io.unichannel.analytics.Kpi;
import io.unichannel.analytics.Sums;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Finds repeat complaints: complaints arrive keyed by the person (one identity across every
 * channel) and each person's complaints of the last 30 days are kept in "complaints-by-person". A
 * complaint with another one within the 30 days before it is a repeat. Complaints of one person
 * reach this partition from different tickets' partitions in any order, so a complaint that turns
 * out to have an earlier one arriving late is counted as a repeat then (numerator only).
 */
class RepeatComplaints extends ContextualProcessor<String, ComplaintFact, String, Contribution> {

    static final String STORE = "complaints-by-person";
    static final Duration WINDOW = Duration.ofDays(30);
    /**
     * At most this many of a person's complaints are kept (the newest): enough to tell a repeat
     * complaint, and a bound on the store entry however many a person (or a partner system posting
     * for them) files; beyond it the changelog record would outgrow Kafka's record size and stop
     * the stream.
     */
    static final int MAX_KEPT = 200;

    /** A person's recent complaints and whether each has been counted as a repeat. */
    record Recent(List<ComplaintFact> complaints, List<Boolean> repeat) {
    }

    private KeyValueStore<String, Recent> store;

    @Override
    public void init(ProcessorContext<String, Contribution> context) {
        super.init(context);
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, ComplaintFact> record) {
        ComplaintFact complaint = record.value();
        Recent recent = store.get(record.key());
        List<ComplaintFact> complaints = new ArrayList<>(recent == null ? List.of() : recent.complaints());
        List<Boolean> repeats = new ArrayList<>(recent == null ? List.of() : recent.repeat());
        if (complaints.stream().anyMatch(c -> c.ticketId().equals(complaint.ticketId()))) {
            return; // counted already
        }
        long window = WINDOW.toMillis();
        boolean repeat = complaints.stream().anyMatch(c -> c.at() >= complaint.at() - window && c.at() < complaint.at());
        emit(complaint, Sums.ratio(repeat), record.timestamp());
        for (int i = 0; i < complaints.size(); i++) {
            ComplaintFact later = complaints.get(i);
            if (!repeats.get(i) && later.at() > complaint.at() && later.at() <= complaint.at() + window) {
                repeats.set(i, true);
                emit(later, new Sums(1, 0, 0, 0), record.timestamp());
            }
        }
        complaints.add(complaint);
        repeats.add(repeat);
        long newest = complaints.stream().mapToLong(ComplaintFact::at).max().orElse(complaint.at());
        List<ComplaintFact> keptComplaints = new ArrayList<>();
        List<Boolean> keptRepeats = new ArrayList<>();
        for (int i = 0; i < complaints.size(); i++) {
            if (complaints.get(i).at() >= newest - window) {
                keptComplaints.add(complaints.get(i));
                keptRepeats.add(repeats.get(i));
            }
        }
        if (keptComplaints.size() > MAX_KEPT) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < keptComplaints.size(); i++) {
                order.add(i);
            }
            order.sort((a, b) -> Long.compare(keptComplaints.get(b).at(), keptComplaints.get(a).at()));
            List<ComplaintFact> newestComplaints = new ArrayList<>();
            List<Boolean> newestRepeats = new ArrayList<>();
            for (int i : order.subList(0, MAX_KEPT)) {
                newestComplaints.add(keptComplaints.get(i));
                newestRepeats.add(keptRepeats.get(i));
            }
            store.put(record.key(), new Recent(newestComplaints, newestRepeats));
            return;
        }
        store.put(record.key(), new Recent(keptComplaints, keptRepeats));
    }

    private void emit(ComplaintFact complaint, Sums sums, long timestamp) {
        Contribution c = new Contribution(Kpi.REPEAT_COMPLAINT_RATE.id(), complaint.dimensions(), complaint.at(), sums);
        context().forward(new Record<>(c.key(), c, timestamp));
    }
}
