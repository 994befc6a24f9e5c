package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.backend.docker.DaemonThread;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.HostEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs smolvm calls as child processes with the host's env (plus a call's forwarded entries) and
 * turns its {@code Error: …} exits into exceptions naming the command.
 */
final class Smolvm {
    private final HostEnvironment env;

    Smolvm(HostEnvironment env) {
        this.env = env;
    }

    /** Runs a call that must succeed; returns its standard output. */
    String check(SmolvmCall call, String what) {
        ExecResult result = capture(call);
        if (result.exitCode() != 0) {
            throw new BottleException(what + " failed: '" + call + "' exited " + result.exitCode() + errorLine(result),
                    "smolvm's own message is above; 'bottle doctor --backend smolmachines' checks the setup");
        }
        return result.stdout();
    }

    /** Runs a call and collects its output. */
    ExecResult capture(SmolvmCall call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = stream(call, InputStream.nullInputStream(), out, err);
        return new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs a call with {@code in} copied to its input, closed at the input's end, and its output
     * copied to {@code out} and {@code err} as it comes. It returns once the call exits, even when
     * its input has not ended.
     */
    int stream(SmolvmCall call, InputStream in, OutputStream out, OutputStream err) {
        Process p = start(call, false);
        try {
            feed(p, in);
            CompletableFuture<Void> errors = DaemonThread.run("errors of " + call.argv().get(0),
                    () -> pump(p.getErrorStream(), err));
            pump(p.getInputStream(), out);
            errors.join();
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new BottleException("'" + call + "' was interrupted");
        }
    }

    /**
     * Runs a call on the user's terminal: when {@code in} is this process's own standard input,
     * smolvm inherits the terminal (so {@code -t} gets a real one); otherwise the streams are copied.
     */
    int interactive(SmolvmCall call, InputStream in, OutputStream out) {
        if (in != System.in) {
            return stream(call, in, out, out);
        }
        Process p = start(call, true);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new BottleException("'" + call + "' was interrupted");
        }
    }

    private Process start(SmolvmCall call, boolean inheritIo) {
        ProcessBuilder pb = new ProcessBuilder(call.argv());
        Map<String, String> processEnv = pb.environment();
        processEnv.clear();
        processEnv.putAll(env.all());
        processEnv.putAll(call.env());
        if (inheritIo) {
            pb.inheritIO();
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new BottleException("cannot run " + call.argv().get(0) + ": " + e.getMessage(),
                    "install smolvm, or put it on PATH");
        }
    }

    /** Copies {@code in} to the process's input, closing it at the input's end. */
    private static void feed(Process p, InputStream in) {
        DaemonThread.run("input of smolvm", () -> {
            try (OutputStream stdin = p.getOutputStream()) {
                in.transferTo(stdin);
            } catch (IOException e) {
                // the call ended before its input did
            }
        });
    }

    private static void pump(InputStream from, OutputStream to) {
        try (from) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String errorLine(ExecResult result) {
        return result.stderr().lines().filter(l -> l.startsWith("Error:") || l.startsWith("error:")).findFirst()
                .map(l -> ": " + l).orElse(result.stderr().isBlank() ? "" : ": " + result.stderr().strip()
                        .lines().reduce((a, b) -> b).orElse(""));
    }
}
