package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.command.InertText;
import dev.claudebottle.spi.manifest.RouteDef;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A proposal as the {@code egress} section of a manifest, to read on a terminal and paste. Its rules
 * hold only values a manifest holds as they are (see {@link ManifestValues}); what it leaves out
 * comes first as comments, the guest's text in them inert, so none of it can end its line, add a
 * key, or act on the terminal.
 */
final class ProposalYaml {
    /** A header name that reads the same written plain. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

    private ProposalYaml() {
    }

    static String of(PolicyProposal proposal) {
        StringBuilder out = new StringBuilder();
        flags(out, proposal.flags());
        if (proposal.allow().isEmpty() && proposal.routes().isEmpty()) {
            return out.append("egress: {}  # the audit log shows no allowed traffic to propose\n").toString();
        }
        out.append("egress:\n");
        if (!proposal.allow().isEmpty()) {
            out.append("  allow:\n");
        }
        for (PolicyProposal.Rule r : proposal.allow()) {
            out.append("    - host: ").append(r.host()).append('\n');
            scope(out, r.ports(), r.methods(), r.paths());
            // what was reached while learning, or granted, was reached at public addresses: so it stays
            out.append("      private: false\n");
        }
        if (!proposal.routes().isEmpty()) {
            out.append("  routes:\n");
        }
        for (RouteDef d : proposal.routes()) {
            out.append("    - host: ").append(d.host().pattern()).append('\n');
            scope(out, d.ports(), d.methods(), d.paths());
            out.append("      header: ").append(PLAIN.matcher(d.header()).matches() ? d.header() : quoted(d.header()))
                    .append('\n');
            if (d.login().isPresent()) {
                out.append("      login: ").append(d.login().get().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
            } else {
                out.append("      value: ").append(quoted(d.valueTemplate())).append('\n');
            }
            d.placeholder().ifPresent(p -> out.append("      placeholder: {env: ").append(p.env()).append(", value: ")
                    .append(quoted(p.value())).append("}\n"));
            if (d.optional()) {
                out.append("      optional: true\n");
            }
            if (d.allowPrivate()) {
                out.append("      private: true\n");
            }
            if (d.plainHttp()) {
                out.append("      plain_http: true\n");
            }
        }
        return out.toString();
    }

    /** What the proposal leaves out, one comment line each. */
    private static void flags(StringBuilder out, List<PolicyProposal.Flag> flags) {
        if (flags.isEmpty()) {
            return;
        }
        out.append("# LEFT OUT, for a person to look at before pasting:\n");
        for (PolicyProposal.Flag f : flags) {
            String host = InertText.of(f.host());
            String seen = InertText.of(f.seen());
            String requests = f.requests() + " request(s)";
            out.append("#   ").append(switch (f.left()) {
                case ALERT -> "ALERT at " + host + ", " + requests + ": " + seen;
                case HOST -> requests + " to '" + host + "'";
                case PORT -> requests + " to " + host + " on port " + seen;
                case METHOD -> requests + " to " + host + " with method '" + seen + "'";
                case PATH -> requests + " to " + host + " at path '" + seen + "'";
            }).append("; ").append(f.left().why()).append('\n');
        }
    }

    /** The ports, methods and paths of an entry, those it has. */
    private static void scope(StringBuilder out, List<Integer> ports, List<String> methods, List<String> paths) {
        if (!ports.isEmpty()) {
            out.append("      ports: ").append(ports).append('\n');
        }
        if (!methods.isEmpty()) {
            out.append("      methods: [").append(String.join(", ", methods)).append("]\n");
        }
        if (!paths.isEmpty()) {
            out.append("      paths: [").append(String.join(", ", paths.stream().map(ProposalYaml::quoted).toList()))
                    .append("]\n");
        }
    }

    /** {@code text} as a YAML double-quoted string that reads back as {@code text}: inert text's escapes are YAML's. */
    static String quoted(String text) {
        return "\"" + InertText.of(text.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }
}
