package io.unichannel.gateway.notify;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.unichannel.gateway.client.SmsPlatformClient;
import io.unichannel.gateway.client.SmsPlatformClient.SmsMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Hands a text message to the operator's SMS platform. Each call is bounded: a 5 s timeout per
 * try, two quick retries, and a circuit breaker that stops calling a platform that keeps failing
 * (the dispatcher then waits and tries again later). Blocking; called from a worker thread.
 */
@ApplicationScoped
public class SmsSender {

    private final Optional<SmsPlatformClient> client;
    private final Optional<String> authorization;

    public SmsSender(@ConfigProperty(name = "gateway.sms.url") Optional<String> url,
            @ConfigProperty(name = "gateway.sms.token") Optional<String> token) {
        this.client = url.filter(u -> !u.isBlank()).map(u -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(u)).connectTimeout(3, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS)
                .build(SmsPlatformClient.class));
        this.authorization = token.filter(t -> !t.isBlank()).map(t -> "Bearer " + t);
    }

    public boolean configured() {
        return client.isPresent();
    }

    /** Sends one message; fails when the platform is unreachable, slow or refuses it. */
    @Timeout(value = 6, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100, maxDuration = 20, durationUnit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    public void send(String to, String text, String reference) {
        client.orElseThrow().send(authorization.orElse(null), new SmsMessage(to, text, reference));
    }
}
