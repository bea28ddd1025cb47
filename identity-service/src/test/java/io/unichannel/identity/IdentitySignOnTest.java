package io.unichannel.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.unichannel.common.testing.AbstractSignOnTest;

@QuarkusTest
class IdentitySignOnTest extends AbstractSignOnTest {
}
