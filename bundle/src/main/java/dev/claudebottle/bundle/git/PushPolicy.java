package dev.claudebottle.bundle.git;

import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * What the agent may push to one repo: branches matching the {@code push} globs, never a
 * protected branch, never a delete, never a rewrite of history, never a tag.
 */
final class PushPolicy {
    private final List<BranchGlob> push;
    private final List<BranchGlob> protect;
    private final String allowed;

    PushPolicy(GateRepo repo) {
        this.push = repo.push().stream().map(BranchGlob::of).toList();
        this.protect = repo.protect().stream().map(BranchGlob::of).toList();
        this.allowed = repo.push().isEmpty() ? "this repository is read-only"
                : "allowed branches: " + String.join(", ", repo.push());
    }

    /** Why the command is refused, or empty when it may go upstream. */
    Optional<String> refusal(ReceiveCommand command) {
        String ref = command.getRefName();
        if (!ref.startsWith(Constants.R_HEADS)) {
            return Optional.of("only branches can be pushed, not " + ref);
        }
        String branch = ref.substring(Constants.R_HEADS.length());
        if (command.getType() == ReceiveCommand.Type.DELETE) {
            return Optional.of("deleting branch " + branch + " is not allowed");
        }
        if (protect.stream().anyMatch(g -> g.matches(branch))) {
            return Optional.of("branch " + branch + " is protected");
        }
        if (push.stream().noneMatch(g -> g.matches(branch))) {
            return Optional.of("pushing to " + branch + " is not allowed; " + allowed);
        }
        if (command.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD) {
            return Optional.of("non-fast-forward update of " + branch + " is not allowed (no force-push)");
        }
        return Optional.empty();
    }
}
