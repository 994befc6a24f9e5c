package dev.claudebottle.cli;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BuiltImage;
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

/** {@code bottle image build}: the agent and bundle images, tagged by content. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the images bottles run.",
        subcommands = {ImageCommand.Build.class})
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
    static final class Build implements Callable<Integer> {
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
            Owned<Backend> b = context.kernel().backend(Optional.ofNullable(backend));
            List<Path> cas = extraCa.stream().map(p -> context.workingDir().resolve(p).normalize()).toList();
            List<BuiltImage> images = b.value().buildImages(new ImageBuildRequest(agent, bundle,
                    Optional.ofNullable(base), cas, force));
            if (json.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (BuiltImage i : images) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("role", i.role());
                    row.put("tag", i.tag());
                    row.put("built", i.built());
                    rows.add(row);
                }
                Json.print(context.out(), rows);
            } else {
                for (BuiltImage i : images) {
                    context.out().println(i.role() + " " + i.tag() + (i.built() ? " (built)" : " (up to date)"));
                }
                context.out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
