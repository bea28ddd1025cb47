package io.unichannel.ticket.tmf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.unichannel.common.problem.ProblemException;
import io.unichannel.ticket.hub.CallbackPolicy;
import org.junit.jupiter.api.Test;

/** Outside local runs, a hub callback can never reach the operator's own network (SSRF). */
class CallbackPolicyTest {

    private final CallbackPolicy production = new CallbackPolicy(false);

    @Test
    void everyInternalAddressIsRefused() {
        Random random = new Random(1918);
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "localhost", "[::1]", "0.0.0.0", "[::]", "[fd00::1]",
                "[fe80::1]", "[::ffff:10.1.2.3]", "169.254.169.254", "224.0.0.1", "255.255.255.255"));
        for (int i = 0; i < 200; i++) {
            int a = random.nextInt(256);
            int b = random.nextInt(256);
            hosts.add(switch (i % 6) {
                case 0 -> "10." + a + "." + b + ".1";
                case 1 -> "172." + (16 + random.nextInt(16)) + "." + a + "." + b;
                case 2 -> "192.168." + a + "." + b;
                case 3 -> "127." + a + "." + b + ".9";
                case 4 -> "100." + (64 + random.nextInt(64)) + "." + a + "." + b;
                default -> "169.254." + a + "." + b;
            });
        }
        for (String host : hosts) {
            assertThatThrownBy(() -> production.check("https://" + host + "/listener")).as(host)
                    .isInstanceOf(ProblemException.class);
        }
    }

    /** What the service reads in each profile: production refuses private callbacks, local runs and tests allow them. */
    @Test
    void onlyLocalRunsAndTestsMayUsePrivateCallbacks() throws Exception {
        java.net.URL properties = getClass().getClassLoader().getResource("application.properties");
        for (String profile : List.of("prod", "local", "test", "dev")) {
            io.smallrye.config.SmallRyeConfig config = new io.smallrye.config.SmallRyeConfigBuilder().withProfile(profile)
                    .withSources(new io.smallrye.config.PropertiesConfigSource(properties)).build();
            boolean allowed = config.getOptionalValue("ticket.hub.allow-private-callbacks", Boolean.class).orElse(false);
            assertThat(allowed).as(profile).isEqualTo(!profile.equals("prod"));
        }
    }

    @Test
    void onlyAbsoluteHttpsUrlsWithoutCredentialsAreAccepted() {
        for (String callback : List.of("http://93.184.216.34/cb", "ftp://93.184.216.34/cb", "https://u:p@93.184.216.34/cb",
                "https://93.184.216.34/cb#frag", "/cb", "javascript:alert(1)", "https:///cb")) {
            assertThatThrownBy(() -> production.check(callback)).as(callback).isInstanceOf(ProblemException.class);
        }
        assertThat(production.check("https://93.184.216.34/tmf/listener").getHost()).isEqualTo("93.184.216.34");
        assertThat(new CallbackPolicy(true).check("http://127.0.0.1:9/listener").getPort()).isEqualTo(9);
    }
}
