package io.unichannel.gateway.wechat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.unichannel.common.problem.Problem;
import io.unichannel.common.problem.ProblemException;
import io.unichannel.common.problem.ProblemTypes;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The WeChat official account's server URL, as WeChat calls it: public on the network but
 * authenticated by WeChat's signature (the shared Token over timestamp and nonce, and in safe mode
 * over the encrypted message too), with timestamps older than the allowed skew refused as replays.
 * Plaintext and safe mode (AES) are both understood; a reply goes back the way the message came.
 */
@Path("/channels/wechat")
@PermitAll
@Tag(name = "WeChat official account", description = "WeChat's server URL check and message callback (signed by WeChat)")
public class WeChatResource {

    private final WeChatConfig config;
    private final WeChatCrypto crypto;
    private final WeChatInbox inbox;

    public WeChatResource(WeChatConfig config, WeChatInbox inbox) {
        this.config = config;
        this.crypto = new WeChatCrypto(config.encodingAesKey(), config.appId());
        this.inbox = inbox;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Server URL check: echoes echostr when WeChat's signature holds")
    public String verifyUrl(@QueryParam("signature") String signature, @QueryParam("timestamp") String timestamp,
            @QueryParam("nonce") String nonce, @QueryParam("echostr") String echostr) {
        authenticate(signature, timestamp, nonce);
        if (echostr == null || echostr.isEmpty() || echostr.length() > 128) {
            throw invalid("echostr is missing or too long");
        }
        return echostr;
    }

    @POST
    @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "A message or event from a follower; answers with a passive reply (or 'success')")
    public Uni<Response> receive(String body, @QueryParam("signature") String signature,
            @QueryParam("timestamp") String timestamp, @QueryParam("nonce") String nonce,
            @QueryParam("encrypt_type") String encryptType, @QueryParam("msg_signature") String messageSignature) {
        authenticate(signature, timestamp, nonce);
        boolean safeMode = "aes".equals(encryptType);
        Map<String, String> message;
        try {
            Map<String, String> outer = WeChatXml.parse(body);
            if (safeMode) {
                String encrypted = outer.get("Encrypt");
                if (encrypted == null || !WeChatCrypto.verify(messageSignature, config.token(), timestamp, nonce, encrypted)) {
                    throw unauthenticated("msg_signature does not match the encrypted message");
                }
                message = WeChatXml.parse(crypto.decrypt(encrypted));
            } else {
                message = outer;
            }
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        Map<String, String> received = message;
        Uni<java.util.Optional<String>> reply;
        try {
            reply = inbox.handle(received);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        // A dependency away (the database, identity-service) before anything was promised: 503, and
        // WeChat delivers the message again.
        return reply.onFailure(e -> !(e instanceof ProblemException)).transform(e -> new ProblemException(
                new Problem(ProblemTypes.SERVICE_UNAVAILABLE, "Not handled yet", 503, "The message could not be handled yet.")
                        .with("retryAfterSeconds", 1))).map(text -> {
            if (text.isEmpty()) {
                return Response.ok("success", MediaType.TEXT_PLAIN).build();
            }
            String xml = WeChatXml.write(passiveReply(received, text.get()));
            if (!safeMode) {
                return Response.ok(xml).build();
            }
            String encrypted = crypto.encrypt(xml);
            String now = String.valueOf(Instant.now().getEpochSecond());
            String replyNonce = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            Map<String, String> sealed = new LinkedHashMap<>();
            sealed.put("Encrypt", encrypted);
            sealed.put("MsgSignature", WeChatCrypto.signature(config.token(), now, replyNonce, encrypted));
            sealed.put("TimeStamp", now);
            sealed.put("Nonce", replyNonce);
            return Response.ok(WeChatXml.write(sealed)).build();
        });
    }

    private Map<String, String> passiveReply(Map<String, String> to, String text) {
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put("ToUserName", to.get("FromUserName"));
        reply.put("FromUserName", config.accountId());
        reply.put("CreateTime", String.valueOf(Instant.now().getEpochSecond()));
        reply.put("MsgType", "text");
        reply.put("Content", text);
        return reply;
    }

    private void authenticate(String signature, String timestamp, String nonce) {
        if (timestamp == null || nonce == null || signature == null || timestamp.length() > 12 || nonce.length() > 64
                || !timestamp.chars().allMatch(Character::isDigit) || timestamp.isEmpty()) {
            throw unauthenticated("signature, timestamp and nonce are required");
        }
        if (!WeChatCrypto.verify(signature, config.token(), timestamp, nonce)) {
            throw unauthenticated("the signature does not match");
        }
        long skew = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > config.maxClockSkew().toSeconds()) {
            throw unauthenticated("the timestamp is too far from now (a replay?)");
        }
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(new Problem(ProblemTypes.UNAUTHENTICATED, "Not from WeChat", 401, detail));
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemTypes.INVALID_REQUEST, "Not a WeChat message", 400, detail);
    }
}
