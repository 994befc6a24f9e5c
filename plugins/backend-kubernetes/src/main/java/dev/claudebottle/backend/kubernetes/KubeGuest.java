package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.backend.docker.GuestArchive;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The guest pod's agent container as provisioning sees it, through the pod's exec subresource. The
 * subresource runs every command as the container's user, root; a command for the agent user is run
 * through {@code setpriv}, which takes that user's ids and leaves it no capability, in its bounding set
 * either, and the container lets nothing in it gain privileges. Files arrive as tar archives (owner and
 * mode set in the archive) that tar unpacks as root.
 */
final class KubeGuest implements Guest {
    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final GuestArchive archive;
    private final String home;

    KubeGuest(KubernetesClient client, String namespace, String pod, String home) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.archive = new GuestArchive(home);
        this.home = home;
    }

    /**
     * The argv the exec subresource runs for {@code user}'s {@code argv} with {@code env} on top of the
     * guest's; the agent user's command gets its home and names, as a login would give them.
     */
    static List<String> argv(String user, String home, List<String> argv, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        if (!user.equals(ROOT)) {
            command.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
        }
        if (!env.isEmpty() || !user.equals(ROOT)) {
            command.add("env");
            if (!user.equals(ROOT)) {
                command.addAll(List.of("HOME=" + home, "USER=" + user, "LOGNAME=" + user));
            }
            env.forEach((k, v) -> command.add(k + "=" + v));
        }
        command.addAll(argv);
        return command;
    }

    @Override
    public void copy(Path file, String path, String owner, int mode) throws Exception {
        write(Files.readAllBytes(file), path, owner, mode);
    }

    @Override
    public void write(byte[] content, String path, String owner, int mode) throws Exception {
        untar(new ByteArrayInputStream(archive.file(path, content, owner, mode)));
    }

    @Override
    public void copyTree(Path directory, String path, String owner) throws Exception {
        Path tar = archive.tree(directory, path, owner);
        try (InputStream in = Files.newInputStream(tar)) {
            untar(in);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private void untar(InputStream tar) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(List.of("tar", "-x", "-p", "--same-owner", "-C", "/", "-f", "-"), tar,
                OutputStream.nullOutputStream(), err);
        if (code != 0) {
            throw new IllegalStateException("unpacking files into guest pod " + pod + " failed (exit " + code + "): "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
    }

    @Override
    public ExecResult exec(String user, List<String> argv, Map<String, String> env) throws Exception {
        return new PodExec(client, namespace, pod, "agent").run(argv(user, home, argv, env));
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, OutputStream out,
                             OutputStream err) throws Exception {
        return run(argv(user, home, argv, env), null, out, err);
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, InputStream in,
                             OutputStream out, OutputStream err) throws Exception {
        return run(argv(user, home, argv, env), in, out, err);
    }

    @Override
    public int execInteractive(String user, List<String> argv, InputStream in, OutputStream out, int columns,
                               int rows) throws Exception {
        String[] command = argv(user, home, argv, Map.of()).toArray(String[]::new);
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer("agent")
                .redirectingInput().writingOutput(out).withTTY().exec(command)) {
            watch.resize(columns, rows);
            Thread pump = new Thread(() -> {
                try {
                    in.transferTo(watch.getInput());
                } catch (java.io.IOException closed) {
                    // the command ended and closed its input
                }
            }, "guest terminal input");
            pump.setDaemon(true);
            pump.start();
            return PodExec.exitCode(watch);
        }
    }

    private int run(List<String> argv, InputStream in, OutputStream out, OutputStream err) throws Exception {
        return new PodExec(client, namespace, pod, "agent").run(argv, in, out, err);
    }
}
