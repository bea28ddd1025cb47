package io.unichannel.identity.signin;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The sign-in tables: one-time code challenges, failure counters, and the audit of sign-ins. */
public final class SignInRecords {

    private SignInRecords() {
    }

    /** A one-time code sent to a customer's phone; only its keyed hash is kept. */
    @Entity
    @Table(name = "otp_challenge")
    public static class OtpChallenge extends PanacheEntityBase {
        public static final String PURPOSE_SIGN_IN = "sign-in";
        public static final String PURPOSE_BIND = "bind";

        @Id
        public UUID id;
        public String msisdn;
        public String channel;
        public String customerId;
        /** sign-in, or bind (proving a number before binding it to customerId). */
        public String purpose = PURPOSE_SIGN_IN;
        public String codeHash;
        public int attempts;
        public OffsetDateTime createdAt;
        public OffsetDateTime expiresAt;
        public OffsetDateTime usedAt;
    }

    /** Failed verifications of one flow for one phone number; locks the flow at the limit. */
    @Entity
    @Table(name = "sign_in_guard")
    public static class SignInGuard extends PanacheEntityBase {
        @Id
        public String id;
        public String flow;
        public String subjectKey;
        public int failures;
        public OffsetDateTime lockedUntil;
        public OffsetDateTime updatedAt;

        public static String id(String flow, String subjectKey) {
            return flow + ":" + subjectKey;
        }
    }

    /** One sign-in identity-service vouched for; for counter sessions, the agent who checked the ID. */
    @Entity
    @Table(name = "sign_in_audit")
    public static class SignInAudit extends PanacheEntityBase {
        @Id
        public UUID id;
        public String customerId;
        public String channel;
        public String flow;
        public String agent;
        public String agentName;
        public OffsetDateTime signedInAt;
    }
}
