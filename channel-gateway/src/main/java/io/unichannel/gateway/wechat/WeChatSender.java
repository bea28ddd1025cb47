package io.unichannel.gateway.wechat;

import java.time.Duration;
import java.util.Set;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.privacy.Masking;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sends template messages through the WeChat API. The access token is shared by every replica in
 * PostgreSQL (WeChat gives each AppID one token at a time: replicas fetching their own would
 * invalidate each other's), fetched again a minute before it expires or when WeChat says it is no
 * longer valid.
 */
@ApplicationScoped
public class WeChatSender {

    /** WeChat's error codes for an access token that is invalid or expired. */
    private static final Set<Integer> STALE_TOKEN = Set.of(40001, 40014, 42001);
    private static final long TOKEN_LOCK = 0x5765_4368_6174_546bL;

    /** A refusal by WeChat that retrying will not change (the follower left, a wrong template). */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final WeChatApi api;
    private final PgPool pool;
    private final WeChatConfig config;

    public WeChatSender(@RestClient WeChatApi api, PgPool pool, WeChatConfig config) {
        this.api = api;
        this.pool = pool;
        this.config = config;
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = Refused.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 10_000, skipOn = Refused.class)
    public Uni<Long> send(WeChatApi.TemplateMessage message) {
        return token().chain(token -> api.sendTemplate(token, message).chain(answer -> {
            if (answer.errcode() != null && STALE_TOKEN.contains(answer.errcode())) {
                return renewed(token).chain(fresh -> api.sendTemplate(fresh, message));
            }
            return Uni.createFrom().item(answer);
        })).map(answer -> {
            accepted(answer, "the template message to " + Masking.identifier(message.touser()));
            return answer.msgid() == null ? 0L : answer.msgid();
        });
    }

    /**
     * A customer-service text to a follower who wrote to the account within the last 48 hours: how a
     * reply that was not ready within WeChat's five seconds still reaches them.
     */
    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = Refused.class)
    public Uni<Void> reply(String openId, String text) {
        WeChatApi.CustomerServiceText message = WeChatApi.CustomerServiceText.of(openId, text);
        return token().chain(token -> api.sendCustomerService(token, message).chain(answer -> {
            if (answer.errcode() != null && STALE_TOKEN.contains(answer.errcode())) {
                return renewed(token).chain(fresh -> api.sendCustomerService(fresh, message));
            }
            return Uni.createFrom().item(answer);
        })).map(answer -> {
            accepted(answer, "the customer-service reply to " + Masking.identifier(openId));
            return null;
        });
    }

    /** WeChat busy (-1, 45009) is worth another try; any other error code is a refusal. */
    private static void accepted(WeChatApi.SendAnswer answer, String what) {
        if (answer.errcode() != null && answer.errcode() != 0) {
            if (answer.errcode() == -1 || answer.errcode() == 45009) {
                throw new IllegalStateException("WeChat busy (" + answer.errcode() + ")");
            }
            throw new Refused("WeChat refused " + what + ": " + answer.errcode() + " " + answer.errmsg());
        }
    }

    /** The shared access token, fetched when there is none that is still valid. */
    private Uni<String> token() {
        return pool.preparedQuery(
                "SELECT token FROM wechat_access_token WHERE app_id = $1 AND expires_at > now() + interval '1 minute'")
                .execute(Tuple.of(config.appId()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("token") : null)
                .chain(token -> token != null ? Uni.createFrom().item(token) : fetch(null));
    }

    /** A token in place of one WeChat just rejected (another system may have fetched one, which voids ours). */
    private Uni<String> renewed(String rejected) {
        return fetch(rejected);
    }

    /**
     * One replica fetches at a time; the others wait on the lock and then use what it stored. A
     * stored token other than the one WeChat rejected was renewed meanwhile by another replica and
     * is used as it is; the rejected one is never handed out again.
     */
    private Uni<String> fetch(String rejected) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(TOKEN_LOCK))
                .chain(() -> tx.preparedQuery("""
                        SELECT token FROM wechat_access_token WHERE app_id = $1
                        AND expires_at > now() + interval '1 minute' AND token IS DISTINCT FROM $2""")
                        .execute(Tuple.of(config.appId(), rejected)))
                .chain(rows -> {
                    if (rows.iterator().hasNext()) {
                        return Uni.createFrom().item(rows.iterator().next().getString("token"));
                    }
                    return api.token("client_credential", config.appId(), config.appSecret()).chain(answer -> {
                        if (answer.accessToken() == null) {
                            return Uni.createFrom().failure(new IllegalStateException("WeChat gave no access token: "
                                    + answer.errcode() + " " + answer.errmsg()));
                        }
                        long seconds = answer.expiresIn() == null ? 7200 : answer.expiresIn();
                        Log.infof("WeChat access token renewed, valid %s", Duration.ofSeconds(seconds));
                        return tx.preparedQuery("""
                                INSERT INTO wechat_access_token (app_id, token, expires_at, fetched_at)
                                VALUES ($1, $2, now() + make_interval(secs => $3::float8), now())
                                ON CONFLICT (app_id) DO UPDATE SET token = EXCLUDED.token,
                                    expires_at = EXCLUDED.expires_at, fetched_at = now()""")
                                .execute(Tuple.of(config.appId(), answer.accessToken(), (double) seconds))
                                .replaceWith(answer.accessToken());
                    });
                }));
    }
}
