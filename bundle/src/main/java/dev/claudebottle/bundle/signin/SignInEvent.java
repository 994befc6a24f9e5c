package dev.claudebottle.bundle.signin;

import java.util.Objects;

/**
 * What the keeper tells the record: one line each, never a token.
 *
 * @param kind   what happened
 * @param detail one line on it for a person
 */
public record SignInEvent(Kind kind, String detail) {
    /** Requires both parts. */
    public SignInEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** What happened to the sign-in. */
    public enum Kind {
        /** The keeper refreshed the sign-in at the token endpoint. */
        REFRESHED,
        /** The keeper took a newer sign-in another party wrote to the host's file. */
        ADOPTED,
        /** A refresh failed for a reason that may pass; the next request tries again. */
        REFRESH_FAILED,
        /** The endpoint refused the sign-in and the file holds no other: the person must sign in again. */
        SIGNED_OUT,
        /** The refreshed sign-in could not be written back to the host's file. */
        WRITE_BACK_FAILED
    }
}
