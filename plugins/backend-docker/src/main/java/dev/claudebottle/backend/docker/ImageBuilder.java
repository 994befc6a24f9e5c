package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.ImageBuildRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the agent and bundle images from the distribution's {@code images/} folder, tagged by
 * content (Dockerfile, extra CAs, bundle jars, base image id), with the build's output as
 * progress events. Extra CAs default to the host's {@code /usr/local/share/ca-certificates/*.crt},
 * so builds work behind a TLS-intercepting proxy.
 */
public final class ImageBuilder {
    /** The base image when none is given. */
    public static final String DEFAULT_BASE = "debian:bookworm-slim";
    /**
     * A registry as a reference names it: a host (with a dot or a port, or {@code localhost}, which no
     * Docker Hub namespace is), then a path if any.
     */
    private static final java.util.regex.Pattern REGISTRY = java.util.regex.Pattern.compile(
            "(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+|[a-z0-9]([a-z0-9.-]*[a-z0-9])?"
                    + ":[0-9]{1,5})(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*");
    /** The digest a push reports, in its last status line or its auxiliary answer. */
    private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile(
            "digest: (sha256:[0-9a-f]{64})");
    static final Path HOST_EXTRA_CAS = dev.claudebottle.contract.HostCas.DIR;
    private final DockerEngine engine;
    private final Path imagesDir;
    private final EventSink events;

    /** A builder of the images whose build contexts are in {@code imagesDir}. */
    public ImageBuilder(DockerEngine engine, Path imagesDir, EventSink events) {
        this.engine = engine;
        this.imagesDir = imagesDir;
        this.events = events;
    }

    /** The tag the role's image has for these inputs (without building it). */
    /** Whether {@code registry} names a registry to push to, never a Docker Hub namespace. */
    static boolean pushable(String registry) {
        return REGISTRY.matcher(registry).matches();
    }

    String tag(String role, String base, List<Path> extraCa) {
        return tag(role, base, baseId(base), extraCa);
    }

    private String tag(String role, String base, String baseId, List<Path> extraCa) {
        return "claude-bottle/" + role + ":" + context(role, extraCa).digest(base, baseId);
    }

    private String baseId(String base) {
        return engine.imageId(base).orElseThrow(() -> new EnvironmentException("the base image " + base
                + " is not in the local engine", "run scripts/seed-base-image.sh (or docker pull " + base + ")"));
    }

    /** Builds what the request asks for; images whose tag exists are kept unless forced. */
    public List<BuiltImage> build(ImageBuildRequest request) {
        return build(roles(request), request);
    }

    /**
     * The image of a further role ({@code registry}) on the default base with the host's extra CAs,
     * built when missing.
     */
    public BuiltImage ensure(String role) {
        return build(List.of(role), new ImageBuildRequest(false, false, java.util.Optional.empty(), List.of(), false,
                java.util.Optional.empty())).get(0);
    }

    private List<BuiltImage> build(List<String> roles, ImageBuildRequest request) {
        // a registry no reference could name is refused before anything is built
        request.push().filter(r -> !pushable(r)).ifPresent(r -> {
            throw new BadInputException("'" + r + "' is not a registry to push to",
                    "give HOST[:PORT][/PATH], e.g. registry.example.com:5000/team");
        });
        String base = request.base().orElse(DEFAULT_BASE);
        List<Path> extraCa = request.extraCa().isEmpty() ? hostExtraCas() : request.extraCa();
        String baseId = baseId(base);
        List<BuiltImage> out = new ArrayList<>();
        for (String role : roles) {
            String tag = tag(role, base, baseId, extraCa);
            if (!request.force() && engine.imageId(tag).isPresent()) {
                events.lifecycle(role + " image " + tag + " is up to date");
                out.add(new BuiltImage(role, tag, false, request.push().map(r -> push(tag, r))));
                continue;
            }
            events.lifecycle("building the " + role + " image " + tag + " on " + base);
            long[] step = {0};
            try {
                engine.build(context(role, extraCa).tar(), tag, Map.of("BASE", base),
                        line -> events.emit(line.startsWith("Step ")
                                ? new Event.Progress(role + " image: " + line, ++step[0], -1)
                                : new Event.Debug(role + " image: " + line)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            events.lifecycle("built " + tag);
            out.add(new BuiltImage(role, tag, true, request.push().map(r -> push(tag, r))));
        }
        return out;
    }

    /**
     * Pushes image {@code tag} to {@code registry} under its own content tag and returns it by the
     * digest the registry gave it: the one name of it that cannot be moved to another image.
     */
    private String push(String tag, String registry) {
        String repository = registry + "/" + tag.substring(0, tag.lastIndexOf(':'));
        String reference = repository + tag.substring(tag.lastIndexOf(':'));
        engine.tag(tag, reference);
        events.lifecycle("pushing " + reference);
        java.util.concurrent.atomic.AtomicReference<String> digest = new java.util.concurrent.atomic.AtomicReference<>();
        engine.push(reference, line -> {
            java.util.regex.Matcher m = DIGEST.matcher(line);
            if (m.find()) {
                digest.set(m.group(1));
            }
            events.debug("push " + reference + ": " + line);
        });
        if (digest.get() == null) {
            throw new BottleException("the registry did not say which digest it gave " + reference,
                    "push it again; 'docker push " + reference + "' shows the registry's answer");
        }
        events.lifecycle("pushed " + repository + "@" + digest.get());
        return repository + "@" + digest.get();
    }

    private static List<String> roles(ImageBuildRequest request) {
        if (request.agent() == request.bundle()) {
            return List.of("agent", "bundle");
        }
        return request.agent() ? List.of("agent") : List.of("bundle");
    }

    private BuildContext context(String role, List<Path> extraCa) {
        Path dir = imagesDir.resolve(role);
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new EnvironmentException("the " + role + " image's Dockerfile is missing from " + dir,
                    "reinstall the distribution (mvn -B package)");
        }
        BuildContext context = new BuildContext().directory("certs");
        try {
            context.add("Dockerfile", Files.readAllBytes(dir.resolve("Dockerfile")));
            for (Path ca : extraCa) {
                if (!Files.isRegularFile(ca)) {
                    throw new BadInputException("extra CA " + ca + " does not exist", "pass a PEM certificate file");
                }
                context.add("certs/" + ca.getFileName().toString().replaceAll("\\.pem$", "") + (ca.toString()
                        .endsWith(".crt") ? "" : ".crt"), Files.readAllBytes(ca));
            }
            if (Files.isDirectory(dir.resolve("lib"))) {
                try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        context.add("lib/" + jar.getFileName(), jar);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return context;
    }

    static List<Path> hostExtraCas() {
        return dev.claudebottle.contract.HostCas.files(HOST_EXTRA_CAS);
    }
}
