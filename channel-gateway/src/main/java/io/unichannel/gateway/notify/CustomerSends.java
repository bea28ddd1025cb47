package io.unichannel.gateway.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import io.unichannel.common.events.Failures;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.push.Devices;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.unichannel.gateway.push.PushSender;
import io.unichannel.gateway.wechat.WeChatApi;
import io.unichannel.gateway.wechat.WeChatSender;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

/**
 * The per-channel sends every notice to a customer shares (a result, a survey invitation, a care
 * reminder): a push to each of the customer's APP installations (forgetting the ones the provider
 * no longer knows), a WeChat template message to a follower, a text, each within the channel's send
 * rate. What to say and what to record stays with the notice.
 *
 * <p>Providers are bulkheads: each sender has its own timeout, retries and circuit breaker, and a
 * provider that still fails after them is {@link Unavailable} for this notice, at once while its
 * breaker is open. The notice then goes on to the next channel the customer allows, or is parked
 * ({@link ParkedNotices}); it never waits a provider's outage out inside a consumer, so one
 * provider down costs only its own notices. The gateway's own database is different: its outage is
 * every notice's, and is waited out ({@link #untilDone}).
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
    private final SmsSender sms;
    private final DeliveryLedger ledger;
    private final ChannelCustomers customers;

    public CustomerSends(PgPool pool, SendRates rates, PushSender push, Devices devices, WeChatSender wechat, SmsSender sms,
            DeliveryLedger ledger, ChannelCustomers customers) {
        this.customers = customers;
        this.sms = sms;
        this.ledger = ledger;
        this.pool = pool;
        this.rates = rates;
        this.push = push;
        this.devices = devices;
        this.wechat = wechat;
    }

    /**
     * The customer's record as identity-service gives it (preferred channel, sealed number), or
     * empty for an id it will never know; its outage makes the notice {@link Unavailable}.
     */
    Optional<ChannelCustomers.CustomerRecord> contact(String customerId) {
        return attempt("identity-service", () -> customers.contact(customerId).await().atMost(WAIT));
    }

    /** The staff a notice addressed to {@code to} reaches by text; identity-service's outage makes it {@link Unavailable}. */
    List<ChannelCustomers.StaffReach> staffReach(String to) {
        return attempt("identity-service", () -> customers.staffReach(to).await().atMost(WAIT));
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
        PushSender.Result result = attempt("app", () -> push.send(tokens, title, body, link, data));
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
        return attempt("wechat", () -> {
            try {
                wechat.send(message).await().atMost(WAIT);
                return "sent";
            } catch (WeChatSender.Refused e) {
                Log.warn(e.getMessage());
                return "refused";
            }
        });
    }

    /** Whether an SMS platform is set up at all. */
    boolean smsConfigured() {
        return sms.configured();
    }

    /**
     * "sent" or "refused" (the platform refused the number or the text: a 4xx other than 408 and
     * 429) for one text; recorded as sending first, so a crash mid-call sends it again under the
     * same reference, which the platform deduplicates.
     */
    String text(String to, String text, String notificationId, String customerId, String purpose) throws InterruptedException {
        rates.take("sms");
        untilDone("database", () -> {
            ledger.sending(notificationId, customerId, "sms", purpose);
            return true;
        });
        return attempt("sms", () -> {
            try {
                sms.send(to, text, notificationId);
                return "sent";
            } catch (WebApplicationException e) {
                if (refusal(e.getResponse().getStatus())) {
                    return "refused";
                }
                throw e;
            }
        });
    }

    /** A 4xx other than 408 (timeout) and 429 (too many): the provider will never take this one. */
    static boolean refusal(int status) {
        return status / 100 == 4 && status != 408 && status != 429;
    }

    /**
     * One call to a provider, through its sender's own timeout, retries and breaker: a failure
     * after those is the provider being unavailable for this notice; poison passes on.
     */
    static <T> T attempt(String channel, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (Failures.isPoison(e)) {
                throw e;
            }
            Log.warnf("%s unavailable (%s); the notice moves on", channel, e.getClass().getSimpleName());
            throw new Unavailable(channel, e);
        }
    }

    /** A provider (or identity-service) did not answer within its bound: its notices move on or are parked. */
    public static final class Unavailable extends RuntimeException {
        private final String channel;

        Unavailable(String channel, Throwable cause) {
            super(channel + " unavailable: " + cause.getClass().getSimpleName(), cause, false, false);
            this.channel = channel;
        }

        public String channel() {
            return channel;
        }
    }

    /**
     * Calls the gateway's own database until it answers: its outage is waited out with pauses
     * growing to 30 s; only poison (a call that can never succeed) is passed on.
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
