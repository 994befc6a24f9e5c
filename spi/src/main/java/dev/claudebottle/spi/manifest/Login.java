package dev.claudebottle.spi.manifest;

/** A sign-in on the host a route takes its credential from instead of a value: {@code login:}. */
public enum Login {
    /** The host's Claude Code sign-in ({@code claude}, then {@code /login}): its OAuth access token. */
    CLAUDE
}
