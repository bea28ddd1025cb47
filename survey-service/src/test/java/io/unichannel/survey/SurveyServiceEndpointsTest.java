package io.unichannel.survey;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractServiceEndpointsTest;

@QuarkusTest
class SurveyServiceEndpointsTest extends AbstractServiceEndpointsTest {

    @Override
    protected List<String> requiredReadinessChecks() {
        return List.of("PostgreSQL", "Kafka");
    }
}
