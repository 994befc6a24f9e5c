package dev.claudebottle.spi.manifest;

/**
 * What a bottle does at its first alert (a placeholder or a real value on its way to another host,
 * a real value in a response): {@code egress.on_alert}. Either way the alert is refused, written to
 * the audit log, and the bottle is marked tainted.
 */
public enum AlertAction {
    /** Go on: the bottle is marked tainted and the alert shown. The default. */
    LOG,
    /** Stop the bottle's traffic at once (every connection closed, every new one refused); an attached bottle is removed, its audit log kept. */
    STOP
}
