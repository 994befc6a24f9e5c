package dev.claudebottle.bundle.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real git client for gate tests, with no user or system config of the host. */
final class GitCli {
    private GitCli() {
    }

    /** What one git command printed and how it exited. */
    record Result(int code, String output) {
    }

    /** Runs git in {@code dir}, failing the test unless it succeeds; returns its stripped output. */
    static String git(Path dir, String... args) throws Exception {
        Result r = gitResult(dir, args);
        assertThat(r.code()).as("git " + String.join(" ", args) + ": " + r.output()).isZero();
        return r.output().strip();
    }

    /** Creates a bare repo at {@code bare} whose main holds one commit with a README of {@code readme}. */
    static void seedBareRepo(Path bare, String readme) throws Exception {
        Path work = bare.resolveSibling(bare.getFileName() + ".seed");
        git(bare.getParent(), "init", "--bare", "--initial-branch=main", bare.toString());
        git(bare.getParent(), "init", "--initial-branch=main", work.toString());
        Files.writeString(work.resolve("README"), readme);
        git(work, "add", "README");
        git(work, "commit", "-m", "first");
        git(work, "push", bare.toString(), "main");
    }

    /** Runs git in {@code dir}. */
    static Result gitResult(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@test.invalid",
                "-c", "protocol.file.allow=always"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
