package io.unichannel.gateway.wechat;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The WeChat official account API as WeChat publishes it: access tokens, template messages and
 * customer-service messages.
 */
@RegisterRestClient(configKey = "wechat-api")
@Path("/cgi-bin")
public interface WeChatApi {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokenAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") Integer expiresIn,
            Integer errcode, String errmsg) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SendAnswer(Integer errcode, String errmsg, Long msgid) {
    }

    /** A template message: the follower, the approved template, where a tap leads, and its fields. */
    record TemplateMessage(String touser, @JsonProperty("template_id") String templateId, String url,
            Map<String, Map<String, String>> data) {
    }

    /** A customer-service text message: a reply to a follower who wrote within the last 48 hours. */
    record CustomerServiceText(String touser, String msgtype, Map<String, String> text) {
        public static CustomerServiceText of(String openId, String content) {
            return new CustomerServiceText(openId, "text", Map.of("content", content));
        }
    }

    @GET
    @Path("/token")
    Uni<TokenAnswer> token(@QueryParam("grant_type") String grantType, @QueryParam("appid") String appId,
            @QueryParam("secret") String secret);

    @POST
    @Path("/message/template/send")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<SendAnswer> sendTemplate(@QueryParam("access_token") String accessToken, TemplateMessage message);

    @POST
    @Path("/message/custom/send")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<SendAnswer> sendCustomerService(@QueryParam("access_token") String accessToken, CustomerServiceText message);
}
