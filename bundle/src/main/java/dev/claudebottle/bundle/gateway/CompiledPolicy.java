package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.trust.SecretScanner;
import dev.claudebottle.spi.manifest.DlpAction;

/**
 * A policy ready to decide: rules, DLP scanner and tripwire built once per (re)load.
 *
 * @param source  the policy it was built from
 * @param rules   allow and route rules
 * @param scanner DLP patterns
 * @param tripwire credential tripwire
 */
public record CompiledPolicy(GatewayPolicy source, EgressRules rules, SecretScanner scanner, Tripwire tripwire) {
    /** Builds every part from a policy. */
    public static CompiledPolicy of(GatewayPolicy policy) {
        return new CompiledPolicy(policy, new EgressRules(policy), new SecretScanner(policy.dlpPatterns()),
                new Tripwire(policy.routes()));
    }

    /** Whether a DLP match blocks (else it is only logged). */
    public boolean dlpBlocks() {
        return source.dlpAction() == DlpAction.BLOCK;
    }
}
