package dev.claudebottle.backend.smolmachines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argv of every smolvm command the backend runs, in the grammar of one smolvm version: the
 * machine name is positional on {@code create}/{@code delete} before 1.0.2 and {@code --name}
 * after; {@code exec} always takes {@code --name} (a positional word would be the command); guest
 * env is passed again on every exec, as {@code -e KEY} forwarding from 0.8.1 on.
 */
final class SmolvmCommands {
    private final String executable;
    private final SmolvmVersion version;

    SmolvmCommands(String executable, SmolvmVersion version) {
        this.executable = executable;
        this.version = version;
    }

    SmolvmVersion version() {
        return version;
    }

    SmolvmCall packCreate(String imageReference, Path output) {
        return call("pack", "create", "-I", imageReference, "-o", output.toString());
    }

    /**
     * Creates a machine from a pack, reaching only {@code allowCidrs}, sized {@code size}. With
     * {@code --from}, smolvm takes {@code --cpus} and {@code --mem} only where they differ from its
     * defaults (4 and 8192) and the pack's values otherwise; the packs this backend makes carry
     * those same defaults, so the machine gets the size asked either way.
     */
    SmolvmCall create(String machine, Path artifact, List<String> allowCidrs, MachineSize size) {
        List<String> argv = base("machine", "create");
        argv.addAll(name(machine));
        argv.add("--from");
        argv.add(artifact.toString());
        for (String cidr : allowCidrs) {
            argv.add("--allow-cidr");
            argv.add(cidr);
        }
        argv.addAll(List.of("--cpus", Integer.toString(size.cpus()), "--mem", Long.toString(size.memoryMib())));
        return new SmolvmCall(argv, Map.of());
    }

    SmolvmCall start(String machine) {
        return call("machine", "start", "--name", machine);
    }

    SmolvmCall stop(String machine) {
        return call("machine", "stop", "--name", machine);
    }

    SmolvmCall delete(String machine) {
        List<String> argv = base("machine", "delete");
        argv.addAll(name(machine));
        argv.add("-f");
        return new SmolvmCall(argv, Map.of());
    }

    SmolvmCall list() {
        return call("machine", "ls", "--json");
    }

    /** Uploads one host file to a guest path. */
    SmolvmCall copy(Path file, String machine, String guestPath) {
        return call("machine", "cp", file.toString(), machine + ":" + guestPath);
    }

    /** How an exec's standard streams are connected. */
    enum Io {
        /** No input; output streamed as it comes ({@code --stream}: 0.8.x truncates it at 11 MiB otherwise). */
        STREAMED,
        /** Input forwarded until its end, output and errors kept apart ({@code -i}, which streams too). */
        WITH_INPUT,
        /** A terminal ({@code -i -t}). */
        TERMINAL
    }

    /** Runs {@code command} in the machine with {@code env} in its env, its streams connected as {@code io} says. */
    SmolvmCall exec(String machine, Map<String, String> env, Optional<String> workdir, Io io, List<String> command) {
        List<String> argv = base("machine", "exec");
        argv.add("--name");
        argv.add(machine);
        workdir.ifPresent(w -> {
            argv.add("-w");
            argv.add(w);
        });
        switch (io) {
            case STREAMED -> argv.add("--stream");
            case WITH_INPUT -> argv.add("-i");
            case TERMINAL -> argv.addAll(List.of("-i", "-t"));
            default -> throw new IllegalArgumentException(io.toString());
        }
        Map<String, String> forwarded = new LinkedHashMap<>();
        boolean forward = version.atLeast(SmolvmVersion.FORWARD_ENV);
        env.forEach((key, value) -> {
            argv.add("-e");
            if (forward) {
                argv.add(key);
                forwarded.put(key, value);
            } else {
                argv.add(key + "=" + value);
            }
        });
        argv.add("--");
        argv.addAll(command);
        return new SmolvmCall(argv, forwarded);
    }

    private List<String> name(String machine) {
        return version.atLeast(SmolvmVersion.NAME_FLAG) ? List.of("--name", machine) : List.of(machine);
    }

    private List<String> base(String... words) {
        List<String> argv = new ArrayList<>();
        argv.add(executable);
        argv.addAll(List.of(words));
        return argv;
    }

    private SmolvmCall call(String... words) {
        return new SmolvmCall(base(words), Map.of());
    }
}
