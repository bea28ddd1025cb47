package io.unichannel.gateway.sms;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.validation.Text;
import io.unichannel.gateway.adapters.ChannelCustomers;
import io.unichannel.gateway.intake.Intake;
import io.unichannel.gateway.notify.Preferences;
import io.unichannel.gateway.notify.SurveyReplies;
import io.unichannel.gateway.repository.ProgressRepository;
import io.unichannel.gateway.rest.SubmitRequest;
import io.unichannel.gateway.adapters.StatusText;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a text message to the service number does, by its keyword: CX (or 查询, 进度) answers with
 * the latest requests' progress; TS (or 投诉) followed by a description opens a complaint; TD (or
 * 退订) opts the number out of marketing and surveys on every channel (the gateway sends every
 * message, so the opt-out holds platform-wide); a digit answers the survey text the customer
 * was sent last; anything else gets the list of keywords. Each
 * message is handled once (the platform's sequence id), on any replica.
 */
@ApplicationScoped
public class SmsInbox {

    private static final Pattern STATUS = Pattern.compile("^(CX|查询|进度)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPLAINT = Pattern.compile("^(?:TS|投诉)[\\s:：,，]*(.+)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern DIGIT = Pattern.compile("^(10|[0-9])$");
    private static final Pattern OPT_OUT = Pattern.compile("^(TD|退订|T|N)$", Pattern.CASE_INSENSITIVE);
    private static final Set<String> OPTED_OUT = Set.of("marketing", "survey");
    static final String HELP = "【统一服务】回复CX查询进度；回复TS+问题描述提交投诉；回复TD退订营销和调查短信。";

    /** One inbound text: who sent it, what it says, the platform's id for it. */
    public record Inbound(String msisdn, String content, String id) {
    }

    private final PgPool pool;
    private final ChannelCustomers customers;
    private final Intake intake;
    private final ProgressRepository progress;
    private final Preferences preferences;
    private final SurveyReplies surveys;

    public SmsInbox(PgPool pool, ChannelCustomers customers, Intake intake, ProgressRepository progress,
            Preferences preferences, SurveyReplies surveys) {
        this.preferences = preferences;
        this.surveys = surveys;
        this.pool = pool;
        this.customers = customers;
        this.intake = intake;
        this.progress = progress;
    }

    /** The reply to send (empty when the message was handled before). */
    public Uni<Optional<String>> handle(Inbound message) {
        return pool.preparedQuery("""
                INSERT INTO sms_inbound (message_id, msisdn, received_at) VALUES ($1, $2, now())
                ON CONFLICT (message_id) DO NOTHING RETURNING message_id""")
                .execute(Tuple.of(message.id(), message.msisdn()))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(Optional.<String>empty())
                        : respond(message).map(Optional::of)
                                .onFailure().call(e -> pool.preparedQuery("DELETE FROM sms_inbound WHERE message_id = $1")
                                        .execute(Tuple.of(message.id())).onFailure().recoverWithNull()));
    }

    private Uni<String> respond(Inbound message) {
        String content = message.content().strip();
        if (OPT_OUT.matcher(content).matches()) {
            return pool.preparedQuery("""
                    INSERT INTO contact_opt_out (msisdn, categories, opted_out_at) VALUES ($1, 'marketing,survey', now())
                    ON CONFLICT (msisdn) DO UPDATE SET opted_out_at = now()""")
                    .execute(Tuple.of(message.msisdn()))
                    // The customer the number is bound to opts out everywhere, not only on this number.
                    .chain(() -> customers.byMsisdn(message.msisdn()))
                    .chain(who -> who.isEmpty() ? Uni.createFrom().voidItem()
                            : progress.canonical(who.get().customerId()).chain(id -> preferences.optOut(id, OPTED_OUT)))
                    .invoke(() -> Log.infof("%s opted out of marketing and surveys by SMS", Masking.msisdn(message.msisdn())))
                    .replaceWith("【统一服务】您已退订营销和调查短信，服务通知和验证码不受影响。");
        }
        if (DIGIT.matcher(content).matches()) {
            return surveyAnswer(message, Integer.parseInt(content));
        }
        boolean status = STATUS.matcher(content).matches();
        Matcher complaint = COMPLAINT.matcher(content);
        if (!status && !complaint.matches()) {
            return Uni.createFrom().item(HELP);
        }
        return customers.byMsisdn(message.msisdn()).chain(who -> {
            if (who.isEmpty()) {
                return Uni.createFrom().item("【统一服务】此号码尚未登记，请通过APP或营业厅登记后使用短信服务。");
            }
            if (status) {
                return progress.requestsOf(who.get().customerId(), 0, 3)
                        .map(rows -> "【统一服务】" + StatusText.of(rows));
            }
            String description = complaint.group(1).strip();
            if (Text.problem(description, 4000, true) != null || description.isEmpty()) {
                return Uni.createFrom().item(HELP);
            }
            return intake.submit(who.get(), new SubmitRequest("complaint", description, null, null, null, null), "sms-" + message.id())
                    .map(submitted -> "【统一服务】已受理您的投诉，编号" + submitted.requestId().toString().substring(0, 8)
                            + "，处理结果将短信通知您。回复CX可查询进度。")
                    .onFailure(e -> e instanceof ProblemException p && p.problem().status() == 429)
                    .recoverWithItem("【统一服务】提交过于频繁，请稍后再试。");
        });
    }

    /** A digit answers the customer's latest open survey text; without one it is not a keyword. */
    private Uni<String> surveyAnswer(Inbound message, int digit) {
        return customers.byMsisdn(message.msisdn()).chain(who -> who.isEmpty() ? Uni.createFrom().item(HELP)
                : surveys.digit(who.get().customerId(), digit, message.id())
                        .map(answered -> answered.isPresent() ? "【统一服务】感谢您的评价！" : HELP)
                        .onFailure(SurveyReplies.Unanswerable.class)
                        .recoverWithItem(e -> "【统一服务】请回复" + e.getMessage().replace("answer ", "") + "之间的数字进行评价。"));
    }

    /** Whether a number has opted out of a category of messages (marketing, survey). */
    public Uni<Boolean> optedOut(String msisdn, String category) {
        return pool.preparedQuery("SELECT categories FROM contact_opt_out WHERE msisdn = $1").execute(Tuple.of(msisdn))
                .map(rows -> rows.iterator().hasNext() && rows.iterator().next().getString("categories")
                        .toLowerCase(Locale.ROOT).contains(category));
    }
}
