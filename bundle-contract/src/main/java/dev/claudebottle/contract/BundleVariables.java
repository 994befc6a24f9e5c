package dev.claudebottle.contract;

import dev.claudebottle.spi.manifest.AlertAction;
import java.time.Duration;
import java.util.List;

/**
 * The bundle's process env: every variable the host may set and the bundle reads, with what the
 * bundle assumes without it ({@link BundleLayout}'s paths and ports).
 */
public final class BundleVariables {
    /** The bottle's name. */
    public static final BundleVariable<String> SLUG = BundleVariable.text("CLAUDE_BOTTLE_SLUG");
    /** The daemons to start, by name. */
    public static final BundleVariable<List<String>> DAEMONS = BundleVariable.names("CLAUDE_BOTTLE_DAEMONS");
    /** The gateway's policy file. */
    public static final BundleVariable<String> GATEWAY_POLICY =
            BundleVariable.text("CLAUDE_BOTTLE_GATEWAY_POLICY", BundleLayout.POLICY_FILE);
    /** The trust file: DLP patterns and upstream CAs for every daemon that sends traffic out. */
    public static final BundleVariable<String> TRUST =
            BundleVariable.text("CLAUDE_BOTTLE_TRUST", BundleLayout.TRUST_FILE);
    /** The gateway's port. */
    public static final BundleVariable<Integer> GATEWAY_PORT =
            BundleVariable.port("CLAUDE_BOTTLE_GATEWAY_PORT", BundleLayout.GATEWAY_PORT);
    /** The audit log. */
    public static final BundleVariable<String> AUDIT_LOG =
            BundleVariable.text("CLAUDE_BOTTLE_AUDIT_LOG", BundleLayout.AUDIT_LOG);
    /** The bottle's CA folder. */
    public static final BundleVariable<String> CA_DIR = BundleVariable.text("CLAUDE_BOTTLE_CA_DIR", BundleLayout.CA_DIR);
    /** The git gate's config. */
    public static final BundleVariable<String> GIT_CONFIG =
            BundleVariable.text("CLAUDE_BOTTLE_GIT_CONFIG", BundleLayout.GIT_CONFIG);
    /** The git gate's port. */
    public static final BundleVariable<Integer> GIT_GATE_PORT =
            BundleVariable.port("CLAUDE_BOTTLE_GIT_GATE_PORT", BundleLayout.GIT_GATE_PORT);
    /** The approval queue folder, shared by the daemons that ask a person (supervise, the gateway's asks). */
    public static final BundleVariable<String> APPROVAL_QUEUE =
            BundleVariable.text("CLAUDE_BOTTLE_APPROVAL_QUEUE", BundleLayout.APPROVAL_QUEUE_DIR);
    /** How long an approval request waits for a person. */
    public static final BundleVariable<Duration> SUPERVISE_TIMEOUT =
            BundleVariable.seconds("CLAUDE_BOTTLE_SUPERVISE_TIMEOUT", Duration.ofMinutes(10));
    /** The supervise MCP server's port. */
    public static final BundleVariable<Integer> SUPERVISE_PORT =
            BundleVariable.port("CLAUDE_BOTTLE_SUPERVISE_PORT", BundleLayout.SUPERVISE_PORT);
    /** Whether the gateway stops the bottle's traffic at its first alert ({@code egress.on_alert: stop}). */
    public static final BundleVariable<AlertAction> ON_ALERT =
            BundleVariable.choice("CLAUDE_BOTTLE_ON_ALERT", AlertAction.class, AlertAction.LOG);
    /**
     * The subnet (IPv4 CIDR) of the network the guest reaches the bundle on: the daemons listen on
     * the bundle's address in it only. Unset, they listen on every interface.
     */
    public static final BundleVariable<String> LISTEN_SUBNET = BundleVariable.text("CLAUDE_BOTTLE_LISTEN_SUBNET");
    /**
     * The OTLP/HTTP receiver the bundle sends its record lines to ({@code http(s)://host:port}), from
     * the host's variable of the same name; unset, nothing is sent.
     */
    public static final BundleVariable<String> OTLP_ENDPOINT = BundleVariable.text("CLAUDE_BOTTLE_OTLP_ENDPOINT");

    private BundleVariables() {
    }
}
