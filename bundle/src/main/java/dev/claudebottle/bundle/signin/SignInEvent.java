package dev.claudebottle.bundle.signin;

import java.util.Objects;

/**
 * What the keeper tells the record: one line each, never a token.
 *
 * @param kind   what happened
 * @param detail a line for a person
 */
public record SignInEvent(Kind kind, String detail) {
    /** What happened to the sign-in. */
    public enum Kind {
        /** The keeper refreshed it and wrote the new pair back. */
        REFRESHED,
        /** The keeper took a newer pair another party wrote. */
        ADOPTED,
        /** A refresh failed, perhaps for a while. */
        REFRESH_FAILED,
        /** The endpoint refused the refresh token and no newer one is to be had: the person must sign in again. */
        SIGNED_OUT,
        /** The new pair could not be written back to the host's file. */
        WRITE_BACK_FAILED
    }

    /** Requires both parts. */
    public SignInEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
