package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.HostEnvironment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The smolvm on the host's PATH and its version, which picks the argv grammar.
 *
 * @param executable the smolvm executable
 * @param version    what {@code smolvm --version} printed
 */
record SmolvmInstall(Path executable, SmolvmVersion version) {
    /** Finds smolvm on the host's PATH; empty when it is missing. */
    static Optional<Path> locate(HostEnvironment env) {
        for (String dir : env.get("PATH").orElse("").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "smolvm"))) {
                return Optional.of(Path.of(dir, "smolvm"));
            }
        }
        return Optional.empty();
    }

    /** The installed smolvm, or an environment error saying what is wrong with it. */
    static SmolvmInstall detect(HostEnvironment env) {
        Path smolvm = locate(env).orElseThrow(() -> new EnvironmentException("smolvm is not on PATH",
                "install smolvm from smol-machines/smolvm, or use --backend docker"));
        var result = new Smolvm(env).capture(new SmolvmCall(List.of(smolvm.toString(), "--version"), Map.of()));
        SmolvmVersion version = SmolvmVersion.parse(result.stdout()).filter(v -> result.exitCode() == 0)
                .orElseThrow(() -> new EnvironmentException(smolvm + " --version printed '"
                        + (result.stdout() + result.stderr()).strip() + "', not a version", "reinstall smolvm"));
        return new SmolvmInstall(smolvm, version);
    }

    SmolvmCommands commands() {
        return new SmolvmCommands(executable.toString(), version);
    }
}
