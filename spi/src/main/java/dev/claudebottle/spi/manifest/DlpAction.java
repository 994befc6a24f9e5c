package dev.claudebottle.spi.manifest;

/** What the gateway does when a DLP pattern matches. */
public enum DlpAction {
    /** Refuse the request with 403 and an audit line. */
    BLOCK,
    /** Let it through and write a warning to the audit log. */
    WARN
}
