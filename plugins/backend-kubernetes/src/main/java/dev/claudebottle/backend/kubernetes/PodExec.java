package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.ExecResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * A command in one container of one pod, through the pod's exec subresource: it runs as the
 * container's user, its output streamed back, its exit code from the subresource's status.
 *
 * @param client    the cluster
 * @param namespace the pod's namespace
 * @param pod       the pod
 * @param container the container
 */
record PodExec(KubernetesClient client, String namespace, String pod, String container) {
    /** Runs {@code argv} with {@code in} (or no input) and its output streamed to {@code out} and {@code err}. */
    int run(List<String> argv, InputStream in, OutputStream out, OutputStream err) throws InterruptedException {
        var target = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
        if (in == null) {
            try (ExecWatch watch = target.writingOutput(out).writingError(err).exec(argv.toArray(String[]::new))) {
                return exitCode(watch);
            }
        }
        try (ExecWatch watch = target.readingInput(in).writingOutput(out).writingError(err)
                .exec(argv.toArray(String[]::new))) {
            return exitCode(watch);
        }
    }

    /** Runs {@code argv} without input and keeps what it printed. */
    ExecResult run(List<String> argv) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(argv, null, out, err);
        return new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The command's exit code, as the subresource reports it. */
    static int exitCode(ExecWatch watch) throws InterruptedException {
        try {
            Integer code = watch.exitCode().get();
            return code == null ? -1 : code;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the command in the pod could not be followed: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
