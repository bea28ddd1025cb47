package io.unichannel.gateway.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.unichannel.common.privacy.Masking;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import io.unichannel.common.validation.Text;
import io.unichannel.common.security.WebhookSignature;
import io.unichannel.gateway.notify.SmsSender;
import io.unichannel.gateway.repository.DeliveryLedger;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The SMS platform's webhooks (docs/channels/sms-platform.md): messages customers sent to the
 * service number, and delivery receipts for what the gateway sent. Public on the network,
 * authenticated by the platform's HMAC signature; batches of at most 100.
 */
@Path("/channels/sms")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "SMS platform", description = "Inbound messages and delivery receipts (signed by the SMS platform)")
public class SmsWebhookResource {

    private static final int MAX_BATCH = 100;
    private static final String HEADERS = "X-Sms";
    private static final java.util.regex.Pattern MSISDN = java.util.regex.Pattern.compile("^(?:\\+?86)?(1\\d{10})$");

    private final ObjectMapper json;
    private final SmsInbox inbox;
    private final SmsSender sms;
    private final DeliveryLedger ledger;
    private final PgPool pool;
    private final String secret;
    private final Duration maxSkew;

    public SmsWebhookResource(ObjectMapper json, SmsInbox inbox, SmsSender sms, DeliveryLedger ledger, PgPool pool,
            @ConfigProperty(name = "gateway.sms.webhook-secret") String secret,
            @ConfigProperty(name = "gateway.sms.webhook-max-skew", defaultValue = "PT5M") Duration maxSkew) {
        this.json = json;
        this.inbox = inbox;
        this.sms = sms;
        this.ledger = ledger;
        this.pool = pool;
        this.secret = secret;
        this.maxSkew = maxSkew;
    }

    @POST
    @Path("/inbound")
    @Operation(summary = "Messages customers sent to the service number: keywords CX (progress), TS (complaint), TD (opt out)")
    public Uni<Map<String, Object>> inbound(String body, @HeaderParam("X-Sms-Timestamp") String timestamp,
            @HeaderParam("X-Sms-Signature") String signature) {
        List<SmsInbox.Inbound> messages = new ArrayList<>();
        for (JsonNode item : batch(body, timestamp, signature)) {
            String msisdn = msisdn(item.path("phone_number").asText(""));
            String content = item.path("content").asText(null);
            String id = item.path("sequence_id").asText("");
            if (content == null || Text.problem(content, 1000, true) != null) {
                throw invalid("content is missing, too long or not clean text");
            }
            if (!id.matches("[0-9A-Za-z_-]{1,40}")) {
                throw invalid("sequence_id is missing or malformed");
            }
            messages.add(new SmsInbox.Inbound(msisdn, content, id));
        }
        return Multi.createFrom().iterable(messages)
                .onItem().transformToUniAndConcatenate(message -> inbox.handle(message)
                        .chain(reply -> reply.isEmpty() ? Uni.createFrom().voidItem() : send(message, reply.get())))
                .collect().last()
                .replaceWith(Map.<String, Object>of("code", 0, "msg", "ok", "received", messages.size()));
    }

    @POST
    @Path("/receipts")
    @Operation(summary = "Delivery receipts: each message's outcome on the handset, by the reference the gateway gave it")
    public Uni<Map<String, Object>> receipts(String body, @HeaderParam("X-Sms-Timestamp") String timestamp,
            @HeaderParam("X-Sms-Signature") String signature) {
        List<Tuple> updates = new ArrayList<>();
        for (JsonNode item : batch(body, timestamp, signature)) {
            String reference = item.path("out_id").asText("");
            String code = item.path("err_code").asText("");
            if (!Text.isValidRequired(reference, 64, false) || code.length() > 32 || !item.path("success").isBoolean()) {
                throw invalid("each receipt needs out_id, success and at most a 32-character err_code");
            }
            updates.add(Tuple.of(reference, item.path("success").asBoolean() ? "delivered" : "undelivered", code));
        }
        if (updates.isEmpty()) {
            return Uni.createFrom().item(Map.of("code", 0, "msg", "ok", "matched", 0));
        }
        return pool.preparedQuery("""
                UPDATE notification_delivery SET outcome = $2, receipt_code = $3, receipt_at = now()
                WHERE notification_id = $1 RETURNING notification_id""")
                .executeBatch(updates)
                .map(rows -> {
                    int matched = 0;
                    for (var set = rows; set != null; set = set.next()) {
                        matched += set.rowCount();
                    }
                    return Map.<String, Object>of("code", 0, "msg", "ok", "matched", matched);
                });
    }

    /** Replies go out before the platform hears "ok"; when they cannot, it delivers the message again. */
    private Uni<Void> send(SmsInbox.Inbound message, String text) {
        String reference = "sms-reply-" + message.id();
        return Uni.createFrom().item(() -> {
            if (!sms.configured()) {
                Log.warnf("Reply to %s not sent: no SMS platform configured", Masking.msisdn(message.msisdn()));
                return null;
            }
            ledger.sending(reference, null, "sms", "reply");
            sms.send(message.msisdn(), text, reference);
            ledger.record(reference, "sent");
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid()
                .onFailure().call(e -> pool.preparedQuery("DELETE FROM sms_inbound WHERE message_id = $1")
                        .execute(Tuple.of(message.id())).onFailure().recoverWithNull())
                .onFailure().transform(e -> new ProblemException(ProblemTypes.SERVICE_UNAVAILABLE, "Reply not sent", 503,
                        "The reply could not be sent; deliver the message again."));
    }

    private JsonNode batch(String body, String timestamp, String signature) {
        String problem = WebhookSignature.problem(HEADERS, secret, timestamp, signature, body == null ? "" : body, maxSkew, Instant.now());
        if (problem != null) {
            throw new ProblemException(new Problem(ProblemTypes.UNAUTHENTICATED, "Not from the SMS platform", 401, problem));
        }
        JsonNode items;
        try {
            items = json.readTree(body);
        } catch (Exception e) {
            throw invalid("the body is not JSON");
        }
        if (items == null || !items.isArray() || items.size() > MAX_BATCH) {
            throw invalid("the body must be an array of at most " + MAX_BATCH + " items");
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw invalid("every item must be an object");
            }
        }
        return items;
    }

    private static String msisdn(String number) {
        var match = MSISDN.matcher(number.strip());
        if (!match.matches()) {
            throw invalid("phone_number is not a mainland mobile number");
        }
        return match.group(1);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not an SMS platform call", 400, detail);
    }
}
