package io.unichannel.gateway.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import io.unichannel.common.events.Failures;
import io.unichannel.gateway.push.Devices;
import io.unichannel.gateway.push.PushSender;
import io.unichannel.gateway.wechat.WeChatApi;
import io.unichannel.gateway.wechat.WeChatSender;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The per-channel sends every notice to a customer shares (a result, a survey invitation): a push
 * to each of the customer's APP installations (forgetting the ones the provider no longer knows), a
 * WeChat template message to a follower, each within the channel's send rate; and the one way an
 * outage is waited out. What to say and what to record stays with the notice.
 */
@ApplicationScoped
public class CustomerSends {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final PgPool pool;
    private final SendRates rates;
    private final PushSender push;
    private final Devices devices;
    private final WeChatSender wechat;

    public CustomerSends(PgPool pool, SendRates rates, PushSender push, Devices devices, WeChatSender wechat) {
        this.pool = pool;
        this.rates = rates;
        this.push = push;
        this.devices = devices;
        this.wechat = wechat;
    }

    /** Whether a push provider is set up at all. */
    boolean pushConfigured() {
        return push.configured();
    }

    /** "sent" or "refused" for a push to every installation of these customer ids; empty when there is none or no provider. */
    Optional<String> push(List<String> ids, String title, String body, String link, Map<String, String> data)
            throws InterruptedException {
        if (!push.configured()) {
            return Optional.empty();
        }
        List<Devices.Device> installations = untilDone("database", () -> devices.of(ids).await().atMost(WAIT));
        if (installations.isEmpty()) {
            return Optional.empty();
        }
        List<String> tokens = installations.stream().map(Devices.Device::pushToken).limit(1000).toList();
        rates.take("app");
        PushSender.Result result = untilDone("push provider", () -> push.send(tokens, title, body, link, data));
        if (!result.invalidTokens().isEmpty()) {
            int forgotten = untilDone("database", () -> devices.forget(result.invalidTokens()).await().atMost(WAIT));
            Log.infof("Push provider no longer knows %d installation(s); forgotten", forgotten);
        }
        return Optional.of(result.sent() ? "sent" : "refused");
    }

    /** The WeChat followers (open ids) bound to these customer ids and still subscribed. */
    List<String> followers(List<String> ids) throws InterruptedException {
        return untilDone("database", () -> pool.preparedQuery(
                "SELECT open_id FROM wechat_follower WHERE subscribed AND customer_id = ANY($1) ORDER BY open_id")
                .execute(Tuple.of(ids.toArray(String[]::new))).await().atMost(WAIT)
                .stream().map((Row row) -> row.getString("open_id")).toList());
    }

    /** "sent" or "refused" for one template message. */
    String template(WeChatApi.TemplateMessage message) throws InterruptedException {
        rates.take("wechat");
        return untilDone("WeChat", () -> {
            try {
                wechat.send(message).await().atMost(WAIT);
                return "sent";
            } catch (WeChatSender.Refused e) {
                Log.warn(e.getMessage());
                return "refused";
            }
        });
    }

    /**
     * Calls until an answer comes: a failure is an outage, waited out with pauses growing to 30 s;
     * only poison (a call that can never succeed) is passed on.
     */
    static <T> T untilDone(String what, Supplier<T> call) throws InterruptedException {
        Duration pause = Duration.ofMillis(500);
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (Failures.isPoison(e)) {
                    throw e;
                }
                Log.warnf("%s unavailable (%s); next try in %s", what, e.getClass().getSimpleName(), pause);
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
