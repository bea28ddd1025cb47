package io.unichannel.gateway.wechat;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's WeChat official account, as its admin console shows it (basic configuration). */
@ConfigMapping(prefix = "gateway.wechat")
public interface WeChatConfig {

    /** The official account's AppID. */
    String appId();

    /** The account's original id (gh_...), the sender of passive replies. */
    String accountId();

    /** The Token set in the server configuration: signs every callback. */
    String token();

    /** The EncodingAESKey (43 characters) of safe mode. */
    String encodingAesKey();

    /** The AppSecret, for the API's access token. */
    String appSecret();

    /** The template (approved in the account's console) that tells a customer their request is resolved. */
    @WithDefault("resolved-template")
    String resolvedTemplate();

    /** The template message that invites a follower to a satisfaction survey (a link to the survey page). */
    @WithDefault("survey-template")
    String surveyTemplate();

    /** The template message that reminds a follower their contract ends, with the renewal offer. */
    @WithDefault("care-template")
    String careTemplate();

    /** The template message that tells a follower of an outage in their area, and of its end. */
    @WithDefault("outage-template")
    String outageTemplate();

    /** Where tapping a renewal reminder leads: the offer in the customer portal, accepted there. */
    @WithDefault("https://service.example.invalid/offers/")
    String offerUrl();

    /** Where tapping a template message leads: the request in the customer portal. */
    @WithDefault("https://service.example.invalid/requests/")
    String requestUrl();

    /** How far a callback's timestamp may be from now; older ones are replays. */
    @WithDefault("PT5M")
    Duration maxClockSkew();

    /** Where customers bind their number before WeChat can open requests for them. */
    @WithDefault("https://service.example.invalid/bind")
    String bindUrl();
}
