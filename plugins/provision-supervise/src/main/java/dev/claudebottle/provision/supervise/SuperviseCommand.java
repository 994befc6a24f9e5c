package dev.claudebottle.provision.supervise;

import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.Manifests;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.Wire;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.InertText;
import dev.claudebottle.spi.command.OptionDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import org.pf4j.Extension;

/** {@code bottle supervise}: the human's side of the agents' approval requests, in every bottle. */
@Extension
public final class SuperviseCommand implements PluginCommand {
    private static final ParameterDef ID = new ParameterDef("ID", "The request, as bottle supervise ls shows it.",
            true);
    private static final OptionDef REASON = OptionDef.value("--reason", "R", "Why; the agent sees it.");
    private static final OptionDef SCOPE = OptionDef.value("--scope", "SCOPE", "For a host (kind egress): what the "
            + "approval covers: request (this request only), bottle (every request to this host and port from the "
            + "bottle; the default) or manifest (as bottle, and saved into the manifest the bottle came from).");
    private final BottlePaths paths;
    private final Manifests manifests;

    /** Created by the kernel's injector. */
    @Inject
    public SuperviseCommand(BottlePaths paths, Manifests manifests) {
        this.paths = paths;
        this.manifests = manifests;
    }

    @Override
    public CommandDef definition() {
        return CommandDef.group("supervise", "Answer the approval requests agents make through the supervise MCP "
                + "server (request_approval), and the hosts no rule covers that a bottle with egress.unknown: ask "
                + "asks about (kind egress), in every running bottle. A request blocks until you decide or its "
                + "timeout passes; a timeout is a deny.", List.of(
                CommandDef.leaf("ls", "List approval requests: id, bottle, kind, state (pending, approved, denied, "
                        + "expired), age and title. Pending ones only unless --all.",
                        List.of(OptionDef.JSON, OptionDef.flag("--all", "Include decided and expired requests.")),
                        List.of(), call -> new RequestTable(board()).show(call)),
                CommandDef.leaf("approve", "Approve a pending request; the agent's call returns approved, a "
                        + "waiting request to a host goes on.", List.of(REASON, SCOPE), List.of(ID),
                        call -> decide(call, true)),
                CommandDef.leaf("deny", "Deny a pending request; the agent's call returns denied, with the reason.",
                        List.of(REASON), List.of(ID), call -> decide(call, false)),
                CommandDef.leaf("revoke", "Withdraw the approval of a host for the bottle: from now on the gateway "
                        + "asks again about it, and the tunnels and WebSockets it let open are closed within a second. A host saved into the manifest "
                        + "stays there; remove its rule there.", List.of(REASON), List.of(ID), this::revoke),
                CommandDef.leaf("watch", "Follow approval requests live, in every bottle, and decide them as they "
                        + "come. On a terminal press 'a' to approve the request shown on the >> line, 'd' to deny "
                        + "it, 'q' to quit; keys pressed just as that line changes are passed over. From piped input, "
                        + "lines: 'a [ID]', 'd [ID] [reason]', 'q'; an ID decides that request or nothing. "
                        + "Notifications from agents show as they arrive.", List.of(), List.of(),
                        call -> new RequestWatch(board(), call).run())));
    }

    private ApprovalBoard board() {
        return new ApprovalBoard(paths.bottlesDir(), Clock.systemUTC(), java.util.Optional.of(manifests));
    }

    private int decide(CommandCall call, boolean approve) {
        ApprovalQueueFiles.Scope scope = approve ? call.option(SCOPE.name()).map(SuperviseCommand::scope)
                .orElse(ApprovalQueueFiles.Scope.BOTTLE) : ApprovalQueueFiles.Scope.BOTTLE;
        ApprovalBoard.Decided d = board().decide(call.parameter(ID.label()).orElseThrow(), approve,
                call.option(REASON.name()).orElse(""), scope);
        ApprovalBoard.Request r = d.request();
        boolean approved = r.state() == ApprovalQueueFiles.State.APPROVED;
        call.out().println(Wire.name(r.state()) + " " + InertText.of(r.id()) + " (" + InertText.of(r.slug())
                + ", asked by " + r.asker().wire() + (approved ? ", for " + Wire.name(r.scope()) : "") + "): "
                + InertText.of(r.shown()));
        d.savedInto().ifPresent(file -> call.out().println("saved into " + file + " (public addresses only)"));
        call.out().flush();
        return 0;
    }

    private static ApprovalQueueFiles.Scope scope(String text) {
        try {
            return Wire.parse(ApprovalQueueFiles.Scope.class, text, "--scope");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("'" + text + "' is not a scope", "use one of "
                    + Wire.choices(ApprovalQueueFiles.Scope.class));
        }
    }

    private int revoke(CommandCall call) {
        ApprovalBoard.Request r = board().revoke(call.parameter(ID.label()).orElseThrow(),
                call.option(REASON.name()).orElse(""));
        call.out().println("revoked " + InertText.of(r.id()) + " (" + InertText.of(r.slug()) + "): "
                + InertText.of(r.shown()) + "; the bottle's next request to it is asked about again");
        if (r.scope() == ApprovalQueueFiles.Scope.MANIFEST) {
            call.out().println("the rule saved into the manifest stays: remove it there");
        }
        call.out().flush();
        return 0;
    }
}
