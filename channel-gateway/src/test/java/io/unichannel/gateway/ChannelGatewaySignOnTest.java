package io.unichannel.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractSignOnTest;

@QuarkusTest
class ChannelGatewaySignOnTest extends AbstractSignOnTest {
}
