package dev.claudebottle.bundle.git;

import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * What the agent may push to one repo: branches matching the {@code push} globs, never a
 * protected branch, never a delete, never a rewrite of history, never a tag. Every refusal says
 * what the agent may do instead.
 */
final class PushPolicy {
    private final List<BranchGlob> push;
    private final List<BranchGlob> protect;
    private final String allowed;
    private final String instead;

    /**
     * Why a command is refused.
     *
     * @param reason  the rule and what the agent may do, for the agent's git to print
     * @param askable whether a person may let it through ({@code push_unknown: ask}): a new branch or
     *                a fast-forward outside {@code push}, never a protected branch, a delete or a rewrite
     */
    record Refusal(String reason, boolean askable) {
    }

    PushPolicy(GateRepo repo) {
        this.push = repo.push().stream().map(BranchGlob::of).toList();
        this.protect = repo.protect().stream().map(BranchGlob::of).toList();
        this.allowed = repo.push().isEmpty() ? "this repository is read-only"
                : "allowed branches: " + String.join(", ", repo.push());
        this.instead = repo.push().isEmpty() ? "ask a person to push it for you"
                : "push to a branch matching " + String.join(" or ", repo.push()) + ", or ask a person";
    }

    /** Why the command is refused, or empty when it may go upstream. */
    Optional<Refusal> refusal(ReceiveCommand command) {
        String ref = command.getRefName();
        if (!ref.startsWith(Constants.R_HEADS)) {
            return refuse("only branches can be pushed, not " + ref + "; " + instead, false);
        }
        String branch = ref.substring(Constants.R_HEADS.length());
        if (command.getType() == ReceiveCommand.Type.DELETE) {
            return refuse("deleting branch " + branch + " is not allowed; branches are deleted by a person", false);
        }
        if (protect.stream().anyMatch(g -> g.matches(branch))) {
            return refuse("branch " + branch + " is protected; " + instead, false);
        }
        boolean rewrite = command.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD;
        if (push.stream().noneMatch(g -> g.matches(branch))) {
            return refuse("pushing to " + branch + " is not allowed; " + allowed + "; " + instead, !rewrite);
        }
        if (rewrite) {
            return refuse("non-fast-forward update of " + branch + " is not allowed (no force-push); push new "
                    + "commits on top, or to a new branch", false);
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(String reason, boolean askable) {
        return Optional.of(new Refusal(reason, askable));
    }
}
