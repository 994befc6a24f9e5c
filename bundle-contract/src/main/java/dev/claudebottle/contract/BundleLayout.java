package dev.claudebottle.contract;

import java.util.Map;

/**
 * Where the bundle's daemons listen and keep their files: the names, ports and directories the
 * host's launch and the bundle agree on.
 */
public final class BundleLayout {
    /** The gateway daemon's name. */
    public static final String GATEWAY = "gateway";
    /** The git gate daemon's name. */
    public static final String GIT_GATE = "git-gate";
    /** The supervise daemon's name. */
    public static final String SUPERVISE = "supervise";

    /** The gateway's port in the bundle. */
    public static final int GATEWAY_PORT = 8888;
    /** The git gate's port in the bundle. */
    public static final int GIT_GATE_PORT = 9418;
    /** The supervise MCP server's port in the bundle. */
    public static final int SUPERVISE_PORT = 9100;

    /** Every daemon the bundle runs, with its port: plugins enable these, they cannot add others. */
    public static final Map<String, Integer> DAEMON_PORTS = Map.of(GATEWAY, GATEWAY_PORT, GIT_GATE, GIT_GATE_PORT,
            SUPERVISE, SUPERVISE_PORT);

    /** The gateway's policy folder in the bundle. */
    public static final String POLICY_DIR = "/etc/claude-bottle/gateway";
    /** The policy file in {@link #POLICY_DIR}. */
    public static final String POLICY_FILE = POLICY_DIR + "/policy.json";
    /** What the bottle's agent may spend on the model, in the bundle ({@link BudgetFile}). */
    public static final String BUDGET_FILE = POLICY_DIR + "/budget.json";
    /** The bottle's CA (certificate and key) in the bundle. */
    public static final String CA_DIR = "/etc/claude-bottle/ca";
    /** The audit log's folder in the bundle. */
    public static final String AUDIT_DIR = "/var/log/claude-bottle";
    /**
     * The host the fence's probes send to: it never resolves anywhere (RFC 6761). The gateway refuses
     * a placeholder sent there with the tripwire's answer but does not count it as an alert, so the
     * probe that proves the tripwire does not taint the bottle; nothing sent there ever leaves.
     */
    public static final String PROBE_HOST = "probe.claude-bottle.invalid";
    /** The record's current file, in the bundle's {@link #AUDIT_DIR} and in the host's record dir. */
    public static final String RECORD_FILE = "audit.jsonl";
    /** The bundle's own log, kept beside the record in {@link #AUDIT_DIR} for when the bundle is gone. */
    public static final String KEPT_LOG = "bundle.log";
    /** The audit log in {@link #AUDIT_DIR}. */
    public static final String AUDIT_LOG = AUDIT_DIR + "/" + RECORD_FILE;
    /** The git gate's data (mirrors and config) in the bundle. */
    public static final String GIT_DATA_DIR = "/var/lib/claude-bottle/git";
    /** The git gate's config in {@link #GIT_DATA_DIR}. */
    public static final String GIT_CONFIG = GIT_DATA_DIR + "/repos.json";
    /** The git gate's upstream credentials in the bundle. */
    public static final String GIT_CREDENTIALS_DIR = "/etc/claude-bottle/git";
    /** The bundle base's folder in the bundle: the trust file and the upstream CAs ({@link BundleBase}). */
    public static final String BASE_DIR = "/etc/claude-bottle/base";
    /** The trust file's name in {@link #BASE_DIR}. */
    public static final String TRUST_FILE_NAME = "trust.json";
    /** The trust file ({@link TrustFile}) in the bundle. */
    public static final String TRUST_FILE = BASE_DIR + "/" + TRUST_FILE_NAME;
    /** The name, in {@link #BASE_DIR}, of the file of every upstream CA certificate the bottle trusts. */
    public static final String UPSTREAM_CA_NAME = "upstream-ca.pem";
    /** The upstream CA certificates in the bundle. */
    public static final String UPSTREAM_CA_FILE = BASE_DIR + "/" + UPSTREAM_CA_NAME;
    /** The approval queue in the bundle. */
    public static final String APPROVAL_QUEUE_DIR = "/var/lib/claude-bottle/approvals";
    /**
     * The host's Claude Code config folder in the bundle, read-write: the gateway reads the sign-in
     * there, refreshes it under the locks Claude Code takes there, and writes it back.
     */
    public static final String SIGN_IN_DIR = "/var/lib/claude-bottle/sign-in";
    /**
     * The bundle's secret values ({@link BoundValues}), in its own file system only: put there by the
     * backend before the bundle starts, or when a warm bottle is claimed.
     */
    public static final String BOUND_VALUES = "/run/claude-bottle/bound-values.json";

    private BundleLayout() {
    }
}
