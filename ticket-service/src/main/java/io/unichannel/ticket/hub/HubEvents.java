package io.unichannel.ticket.hub;

import java.util.Set;

import io.unichannel.common.events.EventTypes;

/** The ticket events partners can subscribe to: TMF621's own. Routing and SLA steps are internal to the operator. */
final class HubEvents {

    static final Set<String> PARTNER_TYPES = Set.of(EventTypes.TROUBLE_TICKET_CREATE,
            EventTypes.TROUBLE_TICKET_ATTRIBUTE_VALUE_CHANGE, EventTypes.TROUBLE_TICKET_STATUS_CHANGE,
            EventTypes.TROUBLE_TICKET_RESOLVED, EventTypes.TROUBLE_TICKET_INFORMATION_REQUIRED,
            EventTypes.TROUBLE_TICKET_DELETE);

    private HubEvents() {
    }
}
