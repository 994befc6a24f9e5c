package dev.claudebottle.provision.gateway;

import dev.claudebottle.contract.EgressPresets;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.Manifests;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.InertText;
import dev.claudebottle.spi.command.OptionDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.Manifest;
import dev.claudebottle.spi.manifest.RouteDef;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/** {@code bottle policy}: the egress policy of a manifest, asked without a bottle. */
@Extension
public final class PolicyCommand implements PluginCommand {
    private static final ParameterDef AGENT = new ParameterDef("AGENT", "The agent, as named in the manifest.", true);
    private static final ParameterDef METHOD = new ParameterDef("METHOD", "The HTTP method, e.g. GET.", true);
    private static final ParameterDef URL = new ParameterDef("URL", "The URL, e.g. https://api.github.com/repos/acme.",
            true);
    private static final ParameterDef SLUG = new ParameterDef("SLUG", "The bottle, running or stopped with its "
            + "record kept (bottle ls shows them).", false);
    private static final OptionDef AUDIT = OptionDef.value("--audit", "FILE", "Read this audit log (a copy of a "
            + "bottle's audit.jsonl) instead of a bottle's.");
    private final Manifests manifests;
    private final BottlePaths paths;

    /** Created by the kernel's injector. */
    @Inject
    public PolicyCommand(Manifests manifests, BottlePaths paths) {
        this.manifests = manifests;
        this.paths = paths;
    }

    @Override
    public CommandDef definition() {
        return CommandDef.group("policy", "Ask what a bottle's egress policy does, without starting it.", List.of(
                CommandDef.leaf("check", "Print what the gateway of the agent's bottle would do with one request "
                        + "(allow, deny, or ask a person) and the rule that decides. Exit 0 allow, 1 deny or ask. "
                        + "Only the manifest's rules answer: where the host resolves (SSRF), DLP and the tripwire "
                        + "look at a real request.", List.of(OptionDef.FILE, OptionDef.JSON),
                        List.of(AGENT, METHOD, URL), this::check),
                CommandDef.leaf("propose", "Print the smallest egress section that lets through what a bottle's "
                        + "gateway let through, from its audit log: one allow rule a host, with the methods and first "
                        + "path segments it saw, and first, as comments, what it leaves out: a credential sent to "
                        + "another host, a value a manifest cannot hold. Run the workload once with bottle start "
                        + "--learn, then paste this under the bottle.", List.of(AUDIT, OptionDef.JSON), List.of(SLUG),
                        this::propose)));
    }

    private int propose(CommandCall call) {
        List<Path> files;
        Optional<String> audit = call.option(AUDIT.name());
        Optional<String> slug = call.parameter(SLUG.label());
        if (audit.isPresent() == slug.isPresent()) {
            throw new BadInputException("name a bottle or an audit log (--audit FILE), one of them",
                    "bottle ls lists the bottles");
        }
        if (audit.isPresent()) {
            Path file = Path.of(audit.get());
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("audit log " + file + " does not exist", "give the path of an audit.jsonl");
            }
            files = List.of(file);
        } else {
            files = AuditFiles.of(paths, slug.get());
        }
        // the routes of a bottle still here are kept as its manifest has them
        List<RouteDef> routes = slug.flatMap(manifests::bottleOf).map(b -> b.egress().routes()).orElse(List.of());
        PolicyProposal proposal = PolicyProposal.from(files, routes);
        if (call.flag(OptionDef.JSON.name())) {
            call.printJson(proposal.toJson());
        } else {
            call.out().print("# from " + proposal.requests() + " allowed request(s) and tunnel(s) in "
                    + InertText.of(String.join(", ", files.stream().map(Path::toString).toList())) + "\n"
                    + proposal.yaml());
        }
        call.out().flush();
        return 0;
    }

    private int check(CommandCall call) {
        Manifest manifest = manifests.load(call.option(OptionDef.FILE.name()).map(Path::of));
        String agentName = call.parameter(AGENT.label()).orElseThrow();
        AgentDef agent = manifest.agents().get(agentName);
        if (agent == null) {
            throw new BadInputException("no agent '" + agentName + "' in " + manifest.source(), "its agents: "
                    + String.join(", ", manifest.agents().keySet()));
        }
        String method = call.parameter(METHOD.label()).orElseThrow();
        String url = call.parameter(URL.label()).orElseThrow();
        PolicyCheck check = PolicyCheck.of(manifest.bottles().get(agent.bottle()).egress(), method, url);
        if (call.flag(OptionDef.JSON.name())) {
            call.printJson(check.toJson(method, url));
        } else {
            call.out().println(check.decision() + " " + method.toUpperCase(java.util.Locale.ROOT) + " " + url);
            call.out().println("  " + switch (check.decision()) {
                case "allow" -> "allowed by ";
                case "ask" -> "asked under ";
                default -> "refused by ";
            } + check.rule());
            call.out().println("  " + check.reason());
            if (!check.presets().isEmpty()) {
                call.out().println("  a preset that would allow it: " + String.join(", ", check.presets().stream()
                        .map(p -> p + EgressPresets.wayOut(p).map(w -> " (a way out: " + w + ")").orElse(""))
                        .toList()));
            }
            check.route().ifPresent(r -> call.out().println("  credential: the route for " + r.host().pattern()
                    + " sets " + r.header()));
        }
        call.out().flush();
        return check.decision().equals("allow") ? 0 : 1;
    }
}
