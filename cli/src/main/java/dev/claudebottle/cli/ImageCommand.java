package dev.claudebottle.cli;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.ImageBuildRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle image build} and {@code push}: the agent and bundle images, tagged by content. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the images bottles run.",
        subcommands = {ImageCommand.Build.class, ImageCommand.Push.class})
final class ImageCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the images. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build the agent image (Debian, git, curl, Node, Claude Code, user node) and the bundle "
                    + "image (a headless JRE and the sidecar daemons). Images are tagged by their content, so "
                    + "unchanged inputs are not rebuilt. Extra CA certificates are trusted during the build "
                    + "(default: every /usr/local/share/ca-certificates/*.crt of this host), for builds behind a "
                    + "TLS-intercepting proxy. The base image must be in the local engine "
                    + "(scripts/seed-base-image.sh seeds debian:bookworm-slim)."})
    static class Build implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--agent", description = "Build only the agent image.")
        boolean agent;

        @Option(names = "--bundle", description = "Build only the bundle image.")
        boolean bundle;

        @Option(names = "--base", paramLabel = "IMAGE", description = "The base image (default: debian:bookworm-slim).")
        String base;

        @Option(names = "--extra-ca", paramLabel = "FILE", description = "A PEM CA certificate to trust during the "
                + "build; repeatable. Replaces the host's /usr/local/share/ca-certificates/*.crt.")
        List<Path> extraCa = new ArrayList<>();

        @Option(names = "--force", description = "Rebuild even when an image with the same content tag exists.")
        boolean force;

        @Option(names = "--backend", paramLabel = "B", description = "The backend (default: $CLAUDE_BOTTLE_BACKEND, "
                + "else docker).")
        String backend;

        @Mixin
        JsonOption json;

        Build(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return make(Optional.empty());
        }

        /** Builds or finds the images, pushes them to {@code push} if given, and prints them. */
        Integer make(Optional<String> push) {
            Owned<Backend> b = context.kernel().backend(Optional.ofNullable(backend));
            List<Path> cas = extraCa.stream().map(p -> context.workingDir().resolve(p).normalize()).toList();
            List<BuiltImage> images = b.value().buildImages(new ImageBuildRequest(agent, bundle,
                    Optional.ofNullable(base), cas, force, push));
            if (push.isPresent() && images.stream().anyMatch(i -> i.pushed().isEmpty())) {
                throw new EnvironmentException("backend " + b.value().name() + " pushes no images",
                        "push them with --backend docker");
            }
            if (json.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (BuiltImage i : images) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("role", i.role());
                    row.put("tag", i.tag());
                    row.put("built", i.built());
                    i.pushed().ifPresent(p -> row.put("pushed", p));
                    rows.add(row);
                }
                Json.print(context.out(), rows);
            } else {
                for (BuiltImage i : images) {
                    context.out().println(i.role() + " " + i.pushed().orElse(i.tag())
                            + (i.built() ? " (built)" : " (up to date)"));
                }
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** Builds or finds the images and pushes them to a registry, naming each by the digest it was given. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Build (or find) the agent and bundle images as 'bottle image build' does and push them "
                    + "to REGISTRY as REGISTRY/claude-bottle/ROLE:CONTENT-TAG. Prints each as REGISTRY/claude-bottle/"
                    + "ROLE@sha256:DIGEST, the digest the registry gave it: the reference a cluster pulls "
                    + "(CLAUDE_BOTTLE_KUBE_AGENT_IMAGE, CLAUDE_BOTTLE_KUBE_BUNDLE_IMAGE; docs/kubernetes.md). The "
                    + "engine must be able to push there (docker login, or an insecure registry it allows)."})
    static final class Push extends Build {
        @Parameters(index = "0", paramLabel = "REGISTRY", description = "Where to push: HOST[:PORT][/PATH], e.g. "
                + "registry.example.com:5000/team or localhost:5001.")
        String registry;

        Push(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            return make(Optional.of(registry));
        }
    }
}
