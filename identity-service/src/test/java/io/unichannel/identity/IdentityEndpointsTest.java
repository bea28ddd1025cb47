package io.unichannel.identity;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractServiceEndpointsTest;

@QuarkusTest
class IdentityEndpointsTest extends AbstractServiceEndpointsTest {

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("PostgreSQL", "Kafka", "Keycloak platform realm");
    }
}
