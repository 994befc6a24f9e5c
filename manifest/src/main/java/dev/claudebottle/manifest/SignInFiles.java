package dev.claudebottle.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a Claude Code sign-in may sit below a path a manifest names (a prompt file, a skill, a
 * key): the path itself, its own {@code .credentials.json} or {@code .claude/.credentials.json},
 * or the host user's sign-in when the path is one of its folders. Links are followed, so a link
 * to the sign-in is the sign-in.
 */
final class SignInFiles {
    private SignInFiles() {
    }

    /** The sign-in {@code path} is, or holds, if any. */
    static Optional<Path> within(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (real.getFileName() != null && real.getFileName().toString().equals(ClaudeSignIn.FILE)) {
            return Optional.of(real);
        }
        List<Path> candidates = new ArrayList<>(List.of(real.resolve(ClaudeSignIn.FILE),
                real.resolve(".claude").resolve(ClaudeSignIn.FILE)));
        candidates.addAll(hostSignIns());
        for (Path candidate : candidates) {
            try {
                if (Files.exists(candidate) && candidate.toRealPath().startsWith(real)) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // a candidate that cannot be resolved holds nothing to copy
            }
        }
        return Optional.empty();
    }

    /** The host user's sign-ins, where Claude Code keeps them. */
    private static List<Path> hostSignIns() {
        List<Path> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("user.home"), ".claude", ClaudeSignIn.FILE));
        Optional.ofNullable(System.getenv("CLAUDE_CONFIG_DIR")).filter(d -> !d.isBlank())
                .ifPresent(d -> out.add(Path.of(d, ClaudeSignIn.FILE)));
        return out;
    }
}
