package io.unichannel.gateway.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.adapters.StatusText;
import io.unichannel.gateway.intake.Intake;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.rest.SubmitRequest;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the official account does with a customer's message: a text opens a request (a complaint
 * when it starts with 投诉, a fault repair with 报障 or 故障, otherwise a consultation) or, as 进度 /
 * 查询 / status or the menu's QUERY_PROGRESS click, answers with the latest requests' progress;
 * subscribing greets the customer (and asks an unbound one to bind their number first). WeChat
 * delivers a message again when it does not hear back in time: each is handled once (by MsgId, or
 * sender and time for events, on any replica) and a repeat gets the same reply. A reply not ready
 * within WeChat's five seconds follows through the customer-service message API; no message is
 * dropped, whatever fails and whenever.
 */
@ApplicationScoped
public class WeChatInbox {

    private static final Pattern STATUS_QUERY = Pattern.compile("^(进度|查询|状态|查进度|status|progress)$",
            Pattern.CASE_INSENSITIVE);

    /** WeChat waits five seconds for an answer; this leaves room for the way back. */
    static final Duration REPLY_WITHIN = Duration.ofMillis(4_000);
    private static final Duration REPEAT_LOOK = Duration.ofMillis(200);
    private static final Duration RETRY_FIRST = Duration.ofSeconds(2);
    private static final Duration RETRY_LONGEST = Duration.ofSeconds(30);
    private static final int RETRIES = 6;
    static final String SEND_AGAIN = "抱歉，您刚才的消息暂时未能处理，请稍后再发送一次。";

    private final PgPool pool;
    private final ChannelCustomers customers;
    private final Intake intake;
    private final ProgressRepository progress;
    private final WeChatConfig config;

    private final WeChatSender sender;

    public WeChatInbox(PgPool pool, ChannelCustomers customers, Intake intake, ProgressRepository progress, WeChatConfig config,
            WeChatSender sender) {
        this.pool = pool;
        this.sender = sender;
        this.customers = customers;
        this.intake = intake;
        this.progress = progress;
        this.config = config;
    }

    /** The reply text for a message (empty: nothing to say), handled once however often WeChat delivers it. */
    public Uni<Optional<String>> handle(Map<String, String> message) {
        String openId = message.getOrDefault("FromUserName", "");
        if (!Text.isValidRequired(openId, 64, false)) {
            throw new IllegalArgumentException("FromUserName is missing or not an openid");
        }
        String dedupeKey = message.containsKey("MsgId") ? "msg:" + message.get("MsgId")
                : "event:" + openId + ":" + message.getOrDefault("CreateTime", "") + ":" + message.getOrDefault("Event", "");
        if (dedupeKey.length() > 128) {
            throw new IllegalArgumentException("MsgId or CreateTime is too long");
        }
        return claim(dedupeKey, openId, message, Instant.now().plus(REPLY_WITHIN));
    }

    /** The first delivery handles the message; a repeat waits for what the first one answers. */
    private Uni<Optional<String>> claim(String key, String openId, Map<String, String> message, Instant deadline) {
        return pool.preparedQuery("""
                INSERT INTO wechat_inbound (dedupe_key, open_id, received_at) VALUES ($1, $2, now())
                ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key""")
                .execute(Tuple.of(key, openId))
                .chain(inserted -> inserted.rowCount() == 0 ? repeat(key, openId, message, deadline)
                        : first(key, openId, message, deadline));
    }

    /**
     * Handles a message once. Answered in time, the reply goes back passively; otherwise WeChat is
     * told "success" at the deadline (it would give up and deliver again) and the reply follows
     * through the customer-service message API when it is ready. A failure before the hand-over
     * gives the message back (WeChat delivers it again); after it, the platform keeps trying itself.
     */
    private Uni<Optional<String>> first(String key, String openId, Map<String, String> message, Instant deadline) {
        Uni<Optional<String>> work = answer(key, openId, message)
                .onFailure().recoverWithUni(failure -> giveBackOrKeep(key, openId, message, failure))
                .memoize().indefinitely();
        // The work runs to its end whatever WeChat is told meanwhile.
        work.subscribe().with(reply -> { }, failure -> { });
        Duration left = Duration.between(Instant.now(), deadline);
        return work.ifNoItem().after(left.isNegative() ? Duration.ZERO : left).recoverWithUni(() -> handOver(key, openId, message));
    }

    /** The reply, kept for repeats; sent through the customer-service API when the message was handed over. */
    private Uni<Optional<String>> answer(String key, String openId, Map<String, String> message) {
        return respond(openId, message).chain(reply -> pool.preparedQuery(
                "UPDATE wechat_inbound SET reply = $2 WHERE dedupe_key = $1 RETURNING handed_over")
                .execute(Tuple.of(key, reply.orElse(""))).chain(rows -> {
                    boolean handedOver = rows.iterator().hasNext() && rows.iterator().next().getBoolean("handed_over");
                    if (!handedOver || reply.isEmpty()) {
                        return Uni.createFrom().item(reply);
                    }
                    return sender.reply(openId, reply.get())
                            .invoke(() -> Log.infof("WeChat message %s answered by customer-service message", key))
                            .replaceWith(reply);
                }));
    }

    /**
     * After a failure: while WeChat is still waiting, the message is given back (deleted, so its
     * next delivery handles it afresh). Once handed over, nobody else will deliver it again: it is
     * tried again here with back-off, and if it still cannot be handled the follower is told to
     * send it again, never left without an answer.
     */
    private Uni<Optional<String>> giveBackOrKeep(String key, String openId, Map<String, String> message, Throwable failure) {
        return pool.preparedQuery("DELETE FROM wechat_inbound WHERE dedupe_key = $1 AND NOT handed_over RETURNING dedupe_key")
                .execute(Tuple.of(key)).chain(rows -> {
                    if (rows.rowCount() > 0) {
                        return Uni.createFrom().<Optional<String>>failure(failure);
                    }
                    Log.warnf("WeChat message %s handed over and not handled yet (%s); trying again", key, failure.toString());
                    return answer(key, openId, message)
                            .onFailure().retry().withBackOff(RETRY_FIRST, RETRY_LONGEST).atMost(RETRIES)
                            .onFailure().recoverWithUni(last -> {
                                Log.errorf("WeChat message %s could not be handled (%s); the follower is asked to send it again",
                                        key, last.toString());
                                return pool.preparedQuery("UPDATE wechat_inbound SET reply = $2 WHERE dedupe_key = $1")
                                        .execute(Tuple.of(key, SEND_AGAIN))
                                        .chain(() -> sender.reply(openId, SEND_AGAIN)).replaceWith(Optional.of(SEND_AGAIN));
                            });
                });
    }

    /**
     * WeChat's time is up: "success" now, the reply through the customer-service API later. When
     * the reply was stored meanwhile it goes back passively after all; when the message was given
     * back meanwhile (its handling failed) this delivery fails too, and WeChat delivers it again.
     */
    private Uni<Optional<String>> handOver(String key, String openId, Map<String, String> message) {
        return pool.preparedQuery("""
                UPDATE wechat_inbound SET handed_over = true WHERE dedupe_key = $1 AND reply IS NULL RETURNING dedupe_key""")
                .execute(Tuple.of(key)).chain(updated -> {
                    if (updated.rowCount() > 0) {
                        Log.infof("WeChat message %s not answered within %s: handed over to the customer-service API", key,
                                REPLY_WITHIN);
                        return Uni.createFrom().item(Optional.<String>empty());
                    }
                    return stored(key).map(reply -> reply.orElseThrow(() -> new IllegalStateException(
                            "WeChat message " + key + " could not be handled yet")));
                });
    }

    /**
     * A delivery of a message already in hand: the first one's reply when it is there; nothing
     * when it was handed over (the reply comes by the customer-service API); the message itself
     * when the first delivery gave it back; and at the deadline, the hand-over.
     */
    private Uni<Optional<String>> repeat(String key, String openId, Map<String, String> message, Instant deadline) {
        return pool.preparedQuery("SELECT reply, handed_over FROM wechat_inbound WHERE dedupe_key = $1")
                .execute(Tuple.of(key)).chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return claim(key, openId, message, deadline);
                    }
                    var row = rows.iterator().next();
                    String reply = row.getString("reply");
                    if (reply != null) {
                        return Uni.createFrom().item(Optional.of(reply).filter(r -> !r.isEmpty()));
                    }
                    if (row.getBoolean("handed_over")) {
                        return Uni.createFrom().item(Optional.<String>empty());
                    }
                    if (!Instant.now().plus(REPEAT_LOOK).isBefore(deadline)) {
                        return handOver(key, openId, message);
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(REPEAT_LOOK)
                            .chain(() -> repeat(key, openId, message, deadline));
                });
    }

    /** The stored reply: present (perhaps empty text) once the message was handled, empty while it is not. */
    private Uni<Optional<Optional<String>>> stored(String key) {
        return pool.preparedQuery("SELECT reply FROM wechat_inbound WHERE dedupe_key = $1").execute(Tuple.of(key))
                .map(rows -> {
                    String reply = rows.iterator().hasNext() ? rows.iterator().next().getString("reply") : null;
                    return reply == null ? Optional.<Optional<String>>empty() : Optional.of(Optional.of(reply).filter(r -> !r.isEmpty()));
                });
    }

    private Uni<Optional<String>> respond(String openId, Map<String, String> message) {
        String type = message.getOrDefault("MsgType", "");
        if ("event".equals(type)) {
            String event = message.getOrDefault("Event", "").toLowerCase(Locale.ROOT);
            return switch (event) {
                case "subscribe" -> follow(openId, true).chain(() -> customers.byOpenId(openId)).map(who -> Optional.of(who.isPresent()
                        ? "欢迎关注！直接发送文字即可提交诉求，发送“进度”查询处理进度。"
                        : "欢迎关注！请先绑定手机号（" + config.bindUrl() + "），之后可在此提交和查询诉求。"));
                case "unsubscribe" -> follow(openId, false).replaceWith(Optional.empty());
                case "click" -> "QUERY_PROGRESS".equals(message.get("EventKey")) ? status(openId)
                        : Uni.createFrom().item(Optional.of("发送文字提交诉求，发送“进度”查询处理进度。"));
                default -> Uni.createFrom().item(Optional.empty());
            };
        }
        if (!"text".equals(type)) {
            return Uni.createFrom().item(Optional.of("暂时只能处理文字消息，请用文字描述您的问题。"));
        }
        String content = message.getOrDefault("Content", "").strip();
        if (STATUS_QUERY.matcher(content).matches()) {
            return status(openId);
        }
        String problem = Text.problem(content, 4000, true);
        if (content.isEmpty() || problem != null) {
            return Uni.createFrom().item(Optional.of("没能读懂这条消息，请用文字重新描述您的问题。"));
        }
        return customers.byOpenId(openId).chain(who -> {
            if (who.isEmpty()) {
                return Uni.createFrom().item(Optional.of("请先绑定手机号（" + config.bindUrl() + "），之后可在此提交诉求。"));
            }
            String requestType = content.startsWith("投诉") ? "complaint"
                    : content.startsWith("报障") || content.startsWith("故障") ? "faultRepair" : "consultation";
            SubmitRequest body = new SubmitRequest(requestType, content, null, null, null, null);
            return follow(openId, true, who.get().customerId())
                    .chain(() -> intake.submit(who.get(), body, "wechat-" + message.get("MsgId")))
                    .map(submitted -> Optional.of("已收到您的" + label(requestType) + "，编号 "
                            + submitted.requestId().toString().substring(0, 8) + "。处理进展会在这里通知您，发送“进度”可随时查询。"))
                    .onFailure(ProblemException.class).recoverWithItem(e -> {
                        ProblemException p = (ProblemException) e;
                        if (p.problem().status() == 429) {
                            return Optional.of("提交过于频繁，请稍后再试。");
                        }
                        throw p;
                    });
        });
    }

    private Uni<Optional<String>> status(String openId) {
        return customers.byOpenId(openId).chain(who -> who.isEmpty()
                ? Uni.createFrom().item(Optional.of("请先绑定手机号（" + config.bindUrl() + "），之后可在此查询进度。"))
                : progress.requestsOf(who.get().customerId(), 0, 3).map(rows -> Optional.of(StatusText.of(rows))));
    }

    private static String label(String requestType) {
        return switch (requestType) {
            case "complaint" -> "投诉";
            case "faultRepair" -> "报障";
            default -> "咨询";
        };
    }

    private Uni<Void> follow(String openId, boolean subscribed) {
        return follow(openId, subscribed, null);
    }

    /** Who follows the account: where a customer's results can be sent as template messages. */
    private Uni<Void> follow(String openId, boolean subscribed, String customerId) {
        return pool.preparedQuery("""
                INSERT INTO wechat_follower (open_id, customer_id, subscribed, updated_at) VALUES ($1, $2, $3, now())
                ON CONFLICT (open_id) DO UPDATE SET subscribed = EXCLUDED.subscribed, updated_at = now(),
                    customer_id = COALESCE(EXCLUDED.customer_id, wechat_follower.customer_id)""")
                .execute(Tuple.of(openId, customerId, subscribed))
                .invoke(() -> Log.debugf("WeChat follower %s %s", Masking.identifier(openId), subscribed ? "follows" : "left"))
                .replaceWithVoid();
    }

    /** Delivery records are needed only while WeChat may still retry (seconds); kept three days for support. */
    @Scheduled(every = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return pool.query("DELETE FROM wechat_inbound WHERE received_at < now() - interval '3 days'").execute()
                .replaceWithVoid().onFailure().recoverWithNull();
    }
}
