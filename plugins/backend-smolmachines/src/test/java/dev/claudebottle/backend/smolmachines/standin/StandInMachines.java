package dev.claudebottle.backend.smolmachines.standin;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the stand-in does for each valid command: packs are images pulled from the registry they
 * name, machines are containers with only {@code lo} whose allowed CIDRs are relayed to the host
 * ({@link TsiRelay}), execs are {@code docker exec} with only the env given to that exec.
 */
final class StandInMachines {
    static final String LABEL = "smolvm-standin.machine";
    private final Path home;
    private final SmolvmGrammar grammar;
    private final Map<String, String> env;

    StandInMachines(Path home, SmolvmGrammar grammar, Map<String, String> env) {
        this.home = home;
        this.grammar = grammar;
        this.env = env;
    }

    /** Pulls the image from its registry over HTTP first, as smolvm does, then writes the launcher and artifact. */
    int pack(String reference, Path output) throws Exception {
        int slash = reference.indexOf('/');
        int colon = reference.lastIndexOf(':');
        if (slash < 0 || colon < slash) {
            throw new StandInError("image reference '" + reference + "' names no registry and tag");
        }
        String registry = reference.substring(0, slash);
        String repository = reference.substring(slash + 1, colon);
        String tag = reference.substring(colon + 1);
        HttpResponse<Void> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                        + registry + "/v2/" + repository + "/manifests/" + tag))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, "
                        + "application/vnd.oci.image.manifest.v1+json").GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (manifest.statusCode() != 200) {
            throw new StandInError("failed to pull " + reference + ": registry answered " + manifest.statusCode());
        }
        DockerCli.check(List.of("pull", "-q", reference));
        String id = DockerCli.check(List.of("image", "inspect", "-f", "{{.Id}}", reference)).trimmed();
        String packed = "smolvm-standin/pack:" + id.replace("sha256:", "").substring(0, 12);
        DockerCli.check(List.of("tag", reference, packed));
        DockerCli.run(List.of("rmi", reference));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, "#!/bin/sh\necho 'a packed smolvm machine (stand-in)'\n");
        output.toFile().setExecutable(true);
        Properties artifact = new Properties();
        artifact.setProperty("image", packed);
        artifact.setProperty("reference", reference);
        try (Writer w = Files.newBufferedWriter(Path.of(output + ".smolmachine"))) {
            artifact.store(w, "stand-in smolmachine");
        }
        return 0;
    }

    int create(SmolvmGrammar.Command c) throws IOException {
        String name = c.flag("--name").orElse(c.positionals().isEmpty() ? "default" : c.positionals().get(0));
        if (Files.exists(state(name))) {
            throw new StandInError("machine '" + name + "' already exists");
        }
        String image;
        boolean fromPack = c.has("--from");
        if (fromPack) {
            Path from = Path.of(c.flag("--from").orElseThrow());
            if (!from.toString().endsWith(".smolmachine") || !Files.isRegularFile(from)) {
                throw new StandInError("'" + from + "' is not a .smolmachine artifact");
            }
            Properties artifact = new Properties();
            try (Reader r = Files.newBufferedReader(from)) {
                artifact.load(r);
            }
            image = artifact.getProperty("image");
        } else {
            image = c.flag("--image").orElseThrow(() -> new StandInError("one of --image, --from and --smolfile "
                    + "is needed"));
        }
        List<String> cidrs = new ArrayList<>(c.all("--allow-cidr"));
        boolean net = c.has("--net") || !cidrs.isEmpty() || c.has("--allow-host");
        // The security trap of 0.8.0-1.7.x: a machine from a pack keeps no egress policy at all.
        String network = !net ? "none" : fromPack && !grammar.atLeast(1, 8, 0) ? "open" : cidrs.isEmpty() ? "open"
                : "allowlist";
        for (String cidr : cidrs) {
            if (!cidr.startsWith("127.")) {
                throw new StandInError("the stand-in relays loopback CIDRs only, not " + cidr);
            }
        }
        Properties m = new Properties();
        m.setProperty("name", name);
        m.setProperty("image", image);
        m.setProperty("network", network);
        m.setProperty("allow", network.equals("allowlist") ? String.join(",", cidrs) : "");
        // the machine's size becomes its container's: the memory it holds, the cores it runs on
        m.setProperty("cpus", c.flag("--cpus").orElse(""));
        m.setProperty("mem", c.flag("--mem").orElse(""));
        m.setProperty("created_at", Instant.now().toString());
        m.setProperty("state", "created");
        save(m);
        return 0;
    }

    int start(String name) throws Exception {
        Properties m = load(name);
        if (running(name)) {
            return 0;
        }
        String container = container(name);
        DockerCli.run(List.of("rm", "-f", container));
        // root in a microVM holds every capability: it may read any process's environment, as the probes do
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", container, "--label", LABEL + "=" + name,
                "--hostname", name, "--cap-add", "SYS_PTRACE", "--network",
                m.getProperty("network").equals("open") ? "host" : "none"));
        if (!m.getProperty("mem", "").isEmpty()) {
            run.addAll(List.of("--memory", m.getProperty("mem") + "m", "--memory-swap", m.getProperty("mem") + "m"));
        }
        if (!m.getProperty("cpus", "").isEmpty()) {
            run.addAll(List.of("--cpus", m.getProperty("cpus")));
        }
        run.addAll(List.of("--entrypoint", "sleep", m.getProperty("image"), "infinity"));
        DockerCli.check(run);
        if (m.getProperty("network").equals("allowlist")) {
            List<String> cidrs = Arrays.asList(m.getProperty("allow").split(","));
            TsiRelay.start(name, container, TsiRelay.listeners(cidrs), home.resolve("relay").resolve(name));
        }
        m.setProperty("state", "running");
        save(m);
        return 0;
    }

    int stop(String name) throws IOException {
        Properties m = load(name);
        removeContainers(name);
        m.setProperty("state", "stopped");
        save(m);
        return 0;
    }

    int delete(String name, boolean force) throws IOException {
        load(name);
        if (running(name) && !force) {
            throw new StandInError("machine '" + name + "' is running; stop it first or pass --force");
        }
        removeContainers(name);
        Files.deleteIfExists(state(name));
        return 0;
    }

    int exec(SmolvmGrammar.Command c) throws Exception {
        String name = c.flag("--name").orElse("default");
        load(name);
        if (!running(name)) {
            throw new StandInError("machine '" + name + "' is not running");
        }
        List<String> args = new ArrayList<>(List.of("exec"));
        if (c.has("--interactive")) {
            args.add("-i");
        }
        if (c.has("--tty")) {
            args.add("-t");
        }
        c.flag("--workdir").ifPresent(w -> args.addAll(List.of("-w", w)));
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (String e : c.all("--env")) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
            String value = e.contains("=") ? e.substring(e.indexOf('=') + 1) : env.get(key);
            if (value != null) {
                // docker forwards it from its own env, so the value is on no argv here either
                forwarded.put(key, value);
                args.addAll(List.of("-e", key));
            }
        }
        args.add(container(name));
        args.addAll(c.trailing());
        return DockerCli.inherit(args, forwarded);
    }

    int copy(String source, String destination) throws IOException {
        boolean upload = SmolvmGrammar.guestPath(destination);
        String guest = upload ? destination : source;
        String name = guest.substring(0, guest.indexOf(':'));
        load(name);
        if (!running(name)) {
            throw new StandInError("machine '" + name + "' is not running");
        }
        if (upload && !Files.isRegularFile(Path.of(source))) {
            throw new StandInError("'" + source + "' is not a file; machine cp copies single files only");
        }
        String path = guest.substring(guest.indexOf(':') + 1);
        String target = container(name) + ":" + path;
        DockerCli.Result r = DockerCli.run(upload ? List.of("cp", source, target) : List.of("cp", target, source));
        if (r.code() != 0) {
            throw new StandInError("copy failed: " + r.err().strip());
        }
        return 0;
    }

    String list() throws IOException {
        StringBuilder json = new StringBuilder("[");
        Path dir = home.resolve("machines");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path p : files.sorted().toList()) {
                    Properties m = new Properties();
                    try (Reader r = Files.newBufferedReader(p)) {
                        m.load(r);
                    }
                    String name = m.getProperty("name");
                    String state = running(name) ? "running" : m.getProperty("state").equals("running") ? "stopped"
                            : m.getProperty("state");
                    json.append(json.length() > 1 ? "," : "").append("{\"name\":\"").append(name)
                            .append("\",\"state\":\"").append(state).append("\",\"image\":\"")
                            .append(m.getProperty("image")).append("\",\"network\":\"")
                            .append(m.getProperty("network")).append("\",\"created_at\":\"")
                            .append(m.getProperty("created_at")).append("\"}");
                }
            }
        }
        return json.append("]").toString();
    }

    private void removeContainers(String name) {
        String ids = DockerCli.run(List.of("ps", "-aq", "--filter", "label=" + LABEL + "=" + name)).trimmed();
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(Arrays.asList(ids.split("\\s+")));
            DockerCli.run(rm);
        }
    }

    private boolean running(String name) {
        return DockerCli.run(List.of("inspect", "-f", "{{.State.Running}}", container(name))).trimmed()
                .equals("true");
    }

    private static String container(String name) {
        return "smolvm-standin-" + name;
    }

    private Path state(String name) {
        return home.resolve("machines").resolve(name + ".properties");
    }

    private Properties load(String name) throws IOException {
        if (!Files.isRegularFile(state(name))) {
            throw new StandInError("machine '" + name + "' not found");
        }
        Properties m = new Properties();
        try (Reader r = Files.newBufferedReader(state(name))) {
            m.load(r);
        }
        return m;
    }

    private void save(Properties m) throws IOException {
        Files.createDirectories(home.resolve("machines"));
        try (Writer w = Files.newBufferedWriter(state(m.getProperty("name")))) {
            m.store(w, null);
        }
    }
}
