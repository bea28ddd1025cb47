package io.unichannel.ticket;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractSignOnTest;

@QuarkusTest
class TicketServiceSignOnTest extends AbstractSignOnTest {
}
