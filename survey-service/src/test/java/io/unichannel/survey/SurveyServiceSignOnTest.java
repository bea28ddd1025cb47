package io.unichannel.survey;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractSignOnTest;

@QuarkusTest
class SurveyServiceSignOnTest extends AbstractSignOnTest {
}
