package io.unichannel.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The TMF621 state machine and what each change records. */
class TicketStatusTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-22T09:00:00Z");

    @Test
    void followsTheTmf621Transitions() {
        assertThat(TicketStatus.ACKNOWLEDGED.next()).containsExactlyInAnyOrder(
                TicketStatus.IN_PROGRESS, TicketStatus.HELD, TicketStatus.PENDING, TicketStatus.CANCELLED, TicketStatus.REJECTED);
        assertThat(TicketStatus.IN_PROGRESS.canMoveTo(TicketStatus.REJECTED)).as("rejected only before work starts").isFalse();
        assertThat(TicketStatus.RESOLVED.canMoveTo(TicketStatus.IN_PROGRESS)).as("reopen").isTrue();
        assertThat(TicketStatus.ACKNOWLEDGED.canMoveTo(TicketStatus.RESOLVED)).isFalse();
        assertThat(TicketStatus.HELD.canMoveTo(TicketStatus.CANCELLED)).isFalse();
        assertThat(List.of(TicketStatus.CLOSED, TicketStatus.CANCELLED, TicketStatus.REJECTED))
                .allMatch(TicketStatus::isFinal);
    }

    @Test
    void anOpenedTicketIsAcknowledgedWithItsSlaTarget() {
        TroubleTicket ticket = faultRepair();
        assertThat(ticket.status).isEqualTo("acknowledged");
        assertThat(ticket.sequence).isEqualTo(1);
        assertThat(ticket.expectedResolutionDate).isEqualTo(T0.plusHours(4));
        assertThat(ticket.priority).isEqualTo("high");
    }

    @Test
    void aStatusChangeIsRecordedInTheHistoryAndCounted() {
        TroubleTicket ticket = faultRepair();
        List<String> changed = ticket.apply(new TicketChange(TicketStatus.IN_PROGRESS, "engineer assigned", null,
                "agent-li", null, null), "agent-li", T0.plusMinutes(5));

        assertThat(changed).containsExactly("status", "relatedParty");
        assertThat(ticket.sequence).isEqualTo(2);
        assertThat(ticket.log.statusHistory()).extracting(StatusChange::status).containsExactly("acknowledged", "inProgress");
        assertThat(TroubleTicket.eventTypeFor(changed, ticket.currentStatus())).isEqualTo("TroubleTicketStatusChangeEvent");
    }

    @Test
    void resolvingSetsTheResolutionDateAndReopeningClearsIt() {
        TroubleTicket ticket = faultRepair();
        ticket.apply(new TicketChange(TicketStatus.IN_PROGRESS, null, null, null, null, null), "a", T0.plusMinutes(1));
        List<String> changed = ticket.apply(new TicketChange(TicketStatus.RESOLVED, "ONT replaced", null, null, null, null),
                "a", T0.plusHours(2));
        assertThat(ticket.resolutionDate).isEqualTo(T0.plusHours(2));
        assertThat(TroubleTicket.eventTypeFor(changed, ticket.currentStatus())).isEqualTo("TroubleTicketResolvedEvent");

        ticket.apply(new TicketChange(TicketStatus.IN_PROGRESS, "customer says it still drops", null, null, null, null),
                "a", T0.plusHours(3));
        assertThat(ticket.resolutionDate).isNull();
    }

    @Test
    void anIllegalTransitionChangesNothing() {
        TroubleTicket ticket = faultRepair();
        assertThatThrownBy(() -> ticket.apply(new TicketChange(TicketStatus.CLOSED, null, "note", null, null, null), "a", T0))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("acknowledged cannot become closed");
        assertThat(ticket.status).isEqualTo("acknowledged");
        assertThat(ticket.log.notes()).isEmpty();
        assertThat(ticket.sequence).isEqualTo(1);
    }

    @Test
    void waitingOnTheCustomerIsReportedAsInformationRequired() {
        TroubleTicket ticket = faultRepair();
        List<String> changed = ticket.apply(new TicketChange(TicketStatus.PENDING, "need a visit time", null, null, null, null),
                "a", T0);
        assertThat(TroubleTicket.eventTypeFor(changed, ticket.currentStatus()))
                .isEqualTo("TroubleTicketInformationRequiredEvent");
    }

    @Test
    void aNoteAloneIsAnAttributeChange() {
        TroubleTicket ticket = faultRepair();
        List<String> changed = ticket.apply(new TicketChange(null, null, "called back", null, null, null), "a", T0);
        assertThat(TroubleTicket.eventTypeFor(changed, ticket.currentStatus()))
                .isEqualTo("TroubleTicketAttributeValueChangeEvent");
        assertThat(ticket.log.notes()).singleElement().extracting(Note::text).isEqualTo("called back");
    }

    private static TroubleTicket faultRepair() {
        ChannelRequest request = new ChannelRequest(UUID.randomUUID(), null, "app", "C-1", "sub", "faultRepair",
                "broadband drops", "broadbandFault", "major", null, "gz", null, null, T0);
        return TroubleTicket.open("TT-1", request, TicketType.FAULT_REPAIR, Severity.MAJOR, T0);
    }
}
