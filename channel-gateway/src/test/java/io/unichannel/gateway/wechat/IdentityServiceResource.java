package io.unichannel.gateway.wechat;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.unichannel.common.testing.ServiceProcess;

/** identity-service as a process beside the gateway under test, which asks it who is behind an openid. */
public class IdentityServiceResource implements QuarkusTestResourceLifecycleManager {

    public static volatile ServiceProcess identity;

    @Override
    public Map<String, String> start() {
        identity = ServiceProcess.identityService().start();
        return Map.of("quarkus.rest-client.identity.url", identity.baseUrl());
    }

    @Override
    public void stop() {
        if (identity != null) {
            identity.close();
        }
    }
}
