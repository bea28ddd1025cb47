package io.unichannel.identity.customer;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

import io.unichannel.common.privacy.Masking;

/**
 * The kinds of channel identity a customer can bind, with what a valid value looks like and how
 * it is shown masked. The names are the ones events and the API use.
 */
public enum IdentityType {

    MSISDN("msisdn", "^\\+?[0-9]{6,15}$", true),
    WECHAT_OPEN_ID("wechatOpenId", "^[A-Za-z0-9_-]{6,64}$", true),
    WECHAT_UNION_ID("wechatUnionId", "^[A-Za-z0-9_-]{6,64}$", true),
    APP_ACCOUNT("appAccount", "^[A-Za-z0-9._@-]{3,64}$", false),
    WEB_ACCOUNT("webAccount", "^[^@\\s]{1,64}@[^@\\s]{1,190}$", false),
    ID_DOCUMENT("idDocument", "^[0-9A-Za-z]{6,32}$", true);

    private final String apiName;
    private final Pattern valid;
    private final boolean unbindable;

    IdentityType(String apiName, String valid, boolean unbindable) {
        this.apiName = apiName;
        this.valid = Pattern.compile(valid);
        this.unbindable = unbindable;
    }

    public String apiName() {
        return apiName;
    }

    public boolean valid(String externalId) {
        return externalId != null && valid.matcher(externalId).matches();
    }

    /** APP and web accounts are the customer's Keycloak sign-in; they are changed, not unbound. */
    public boolean unbindable() {
        return unbindable;
    }

    /** How the value appears in events, logs and lists; ID documents only as a hash prefix. */
    public String mask(String externalId, String storedValue) {
        return switch (this) {
            case MSISDN -> Masking.msisdn(externalId);
            case ID_DOCUMENT -> "hmac:" + storedValue.substring(0, 8) + "****";
            default -> Masking.identifier(externalId);
        };
    }

    public static Optional<IdentityType> fromApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst();
    }
}
