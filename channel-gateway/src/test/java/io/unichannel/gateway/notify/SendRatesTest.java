package io.unichannel.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.pgclient.PgPool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A provider's send rate holds across replicas: two gateways (two SendRates on the shared
 * database, as two pods would be) sending as fast as they can together never exceed the rate in
 * any second, and every message still goes out.
 */
@QuarkusTest
class SendRatesTest {

    @Inject
    PgPool pool;

    @Test
    void twoReplicasTogetherKeepToTheProvidersRate() throws Exception {
        int perSecond = 4;
        List<SendRates> replicas = List.of(new SendRates(pool, new SimpleMeterRegistry(), 1000, perSecond, 1000),
                new SendRates(pool, new SimpleMeterRegistry(), 1000, perSecond, 1000));
        ConcurrentLinkedQueue<java.time.OffsetDateTime> sent = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(6);
        List<Future<?>> work = new java.util.ArrayList<>();
        for (int sender = 0; sender < 6; sender++) {
            SendRates replica = replicas.get(sender % 2);
            work.add(senders.submit(() -> {
                for (int message = 0; message < 3; message++) {
                    sent.add(replica.take("wechat"));
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        senders.shutdown();
        assertThat(sent).hasSize(18);
        Map<java.time.OffsetDateTime, Long> bySecond = sent.stream().collect(Collectors.groupingBy(t -> t, Collectors.counting()));
        assertThat(bySecond.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(perSecond));
        assertThat(bySecond).as("18 messages at 4 a second need at least 5 seconds").hasSizeGreaterThanOrEqualTo(5);
        assertThat(bySecond.values().stream().map(Function.identity()).mapToLong(Long::longValue).max().orElse(0))
                .as("the rate is used, not just respected").isEqualTo(perSecond);
    }
}
