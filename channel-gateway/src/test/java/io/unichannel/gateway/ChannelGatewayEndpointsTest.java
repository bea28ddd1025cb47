package io.unichannel.gateway;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractServiceEndpointsTest;

@QuarkusTest
class ChannelGatewayEndpointsTest extends AbstractServiceEndpointsTest {

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("Kafka", "Live progress", "Reactive PostgreSQL");
    }
}
