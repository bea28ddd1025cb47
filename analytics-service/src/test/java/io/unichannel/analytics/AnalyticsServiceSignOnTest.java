package io.unichannel.analytics;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractSignOnTest;

@QuarkusTest
class AnalyticsServiceSignOnTest extends AbstractSignOnTest {
}
