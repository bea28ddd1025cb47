package io.unichannel.ticket;

import java.time.Duration;
import java.util.Optional;

/**
 * The kinds of work order, with the time the handbooks allow to resolve each (the SLA target
 * that sets a ticket's expected resolution date).
 */
public enum TicketType {
    /** 咨询: answered within the service response limit of 24 h. */
    CONSULTATION("consultation", Duration.ofHours(24)),
    /** 投诉: handled within 72 h (respond within 48 h; regulator appeal after 15 days). */
    COMPLAINT("complaint", Duration.ofHours(72)),
    /** 业务办理: package change, broadband install; standard ones are done by rules in minutes. */
    BUSINESS_REQUEST("businessRequest", Duration.ofHours(24)),
    /** 故障申报/维修: repaired within 4 h (handbook target). */
    FAULT_REPAIR("faultRepair", Duration.ofHours(4));

    private final String tmfName;
    private final Duration resolutionTarget;

    TicketType(String tmfName, Duration resolutionTarget) {
        this.tmfName = tmfName;
        this.resolutionTarget = resolutionTarget;
    }

    public String tmfName() {
        return tmfName;
    }

    public Duration resolutionTarget() {
        return resolutionTarget;
    }

    public static Optional<TicketType> fromTmfName(String name) {
        return TmfNames.find(values(), TicketType::tmfName, name);
    }
}
