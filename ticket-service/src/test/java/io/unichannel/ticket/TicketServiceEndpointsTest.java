package io.unichannel.ticket;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractServiceEndpointsTest;

@QuarkusTest
class TicketServiceEndpointsTest extends AbstractServiceEndpointsTest {

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("PostgreSQL", "Kafka", "Outbox relay");
    }
}
