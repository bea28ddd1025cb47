package io.unichannel.ticket.automation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.unichannel.ticket.ChannelRequest;
import io.unichannel.ticket.TicketType;
import io.unichannel.ticket.TroubleTicket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Which new tickets the rules may settle: a business request to change package (attributes
 * {@code intent=packageChange}, {@code targetPackage}) and a consultation or complaint about the
 * bill (category {@code billing}), and a fault report, which is diagnosed from the OSS before it
 * goes to the engineer group the diagnosis points at. Such a ticket gets an automation task in the transaction that
 * opens it and waits for the rules instead of going to an agent's queue; the rules hand it to
 * routing when they cannot settle it.
 */
@ApplicationScoped
public class Automation {

    public static final String PACKAGE_CHANGE = "package-change";
    public static final String BILL_QUESTION = "bill-question";
    public static final String FAULT_DIAGNOSIS = "fault-diagnosis";
    public static final String RENEWAL_OFFER = "renewal-offer";
    public static final List<String> RULE_SETS = List.of(PACKAGE_CHANGE, BILL_QUESTION, FAULT_DIAGNOSIS, RENEWAL_OFFER);

    private static final java.util.regex.Pattern PACKAGE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final AutomationConfig config;
    /** When the automation worker next has a task; every task this replica writes wakes it. */
    private final io.unichannel.common.timing.DueWork due;

    public Automation(AutomationConfig config,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "ticket.automation.safety-look", defaultValue = "30s")
            java.time.Duration safetyLook) {
        this.config = config;
        this.due = new io.unichannel.common.timing.DueWork(safetyLook);
    }

    /** When the automation worker next has work. */
    public io.unichannel.common.timing.DueWork due() {
        return due;
    }

    /** The shipped rule sets (or the operator's, from the configured directory), compiling in the background. */
    @Produces
    @Singleton
    RuleSets ruleSets() {
        return new RuleSets(RULE_SETS, config.rulesDir());
    }

    /** The task for a ticket the rules may settle; empty for every other ticket. */
    public Optional<AutomationTask> taskFor(TroubleTicket ticket, ChannelRequest request, OffsetDateTime now) {
        // Tickets the network opened itself (an outage's incident) are not the customers' requests.
        if (!config.enabled() || ticket.customerId == null || "oss".equals(ticket.channel)) {
            return Optional.empty();
        }
        Map<String, Object> attributes = request.attributes() == null ? Map.of() : request.attributes();
        String kind = null;
        String target = null;
        if (TicketType.BUSINESS_REQUEST.tmfName().equals(ticket.ticketType)
                && "packageChange".equals(attributes.get("intent")) && attributes.get("targetPackage") instanceof String t
                && PACKAGE_ID.matcher(t).matches()) {
            kind = PACKAGE_CHANGE;
            target = t;
        } else if ((TicketType.CONSULTATION.tmfName().equals(ticket.ticketType)
                || TicketType.COMPLAINT.tmfName().equals(ticket.ticketType)) && "billing".equalsIgnoreCase(ticket.category)) {
            kind = BILL_QUESTION;
        } else if (TicketType.FAULT_REPAIR.tmfName().equals(ticket.ticketType)) {
            kind = FAULT_DIAGNOSIS;
        }
        if (kind == null) {
            return Optional.empty();
        }
        AutomationTask task = new AutomationTask();
        task.ticketId = ticket.id;
        task.kind = kind;
        task.customerId = ticket.customerId;
        task.targetPackage = target;
        task.question = ticket.description;
        task.state = AutomationTask.PENDING;
        task.nextAttemptAt = now;
        task.createdAt = now;
        due.wake(now);
        return Optional.of(task);
    }
}
