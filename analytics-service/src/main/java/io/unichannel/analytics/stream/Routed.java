package io.unichannel.analytics.stream;

import io.unichannel.analytics.ComplaintFact;
import io.unichannel.analytics.Contribution;
import io.unichannel.common.events.CloudEvent;

/** What a reader of an input topic passes on: a KPI contribution, a complaint to check for repeats, or a dead letter. */
record Routed(Contribution contribution, ComplaintFact complaint, CloudEvent letter) {

    static Routed of(Contribution contribution) {
        return new Routed(contribution, null, null);
    }

    static Routed of(ComplaintFact complaint) {
        return new Routed(null, complaint, null);
    }

    static Routed of(CloudEvent letter) {
        return new Routed(null, null, letter);
    }
}
