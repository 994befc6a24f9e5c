package dev.claudebottle.backend.smolmachines.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The docker CLI, as the stand-in drives it to play the VM. */
final class DockerCli {
    /** What a docker command printed and how it exited. */
    record Result(int code, String out, String err) {
        String trimmed() {
            return out.strip();
        }
    }

    static Result run(List<String> args) {
        return run(args, Map.of());
    }

    /** Runs {@code docker args} with extra env entries (for {@code -e KEY} forwarding). */
    static Result run(List<String> args, Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        argv.add("docker");
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            return new Result(p.waitFor(), out, err.join());
        } catch (IOException e) {
            return new Result(127, "", "cannot run docker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted");
        }
    }

    /** Runs {@code docker args} on this process's own standard streams; returns its exit code. */
    static int inherit(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add("docker");
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }

    static Result check(List<String> args) {
        Result r = run(args);
        if (r.code() != 0) {
            throw new StandInError("docker " + String.join(" ", args) + " failed: " + r.err().strip());
        }
        return r;
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
