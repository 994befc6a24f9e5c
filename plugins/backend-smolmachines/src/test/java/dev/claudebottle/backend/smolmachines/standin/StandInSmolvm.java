package dev.claudebottle.backend.smolmachines.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the {@code smolvm} executable, for tests on hosts where smolvm cannot run. It
 * answers as the version in {@code SMOLVM_STANDIN_VERSION}, checks every argv against that
 * version's grammar ({@link SmolvmGrammar}), records each call in
 * {@code $SMOLVM_STANDIN_HOME/calls.log} (one argv per line, words separated by a tab with
 * tabs, newlines and backslashes escaped, then the exit code), and plays the machines with containers ({@link StandInMachines}).
 * Exit codes as smolvm: the command's own for exec, 1 for errors ({@code Error: …}), 2 for usage.
 */
public final class StandInSmolvm {
    private StandInSmolvm() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv()));
    }

    static int run(List<String> argv, Map<String, String> env) {
        String versionText = env.getOrDefault("SMOLVM_STANDIN_VERSION", "1.8.0");
        Path home = Path.of(env.getOrDefault("SMOLVM_STANDIN_HOME", System.getProperty("java.io.tmpdir")
                + "/smolvm-standin"));
        SmolvmGrammar grammar = new SmolvmGrammar(SmolvmGrammar.version(versionText));
        int code;
        try {
            code = dispatch(grammar.parse(argv), grammar, new StandInMachines(home, grammar, env), versionText);
        } catch (SmolvmGrammar.UsageError e) {
            System.err.println(e.getMessage());
            code = 2;
        } catch (StandInError e) {
            System.err.println("Error: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            System.err.println("Error: " + e);
            code = 1;
        }
        record(home, argv, code);
        return code;
    }

    private static int dispatch(SmolvmGrammar.Command c, SmolvmGrammar grammar, StandInMachines machines,
                                String version) throws Exception {
        return switch (c.verb()) {
            case "version" -> {
                System.out.println("smolvm " + version);
                yield 0;
            }
            case "pack create" -> machines.pack(c.flag("--image").orElseThrow(), Path.of(c.flag("--output")
                    .orElseThrow()));
            case "machine create" -> machines.create(c);
            case "machine start" -> machines.start(c.flag("--name").orElse("default"));
            case "machine stop" -> machines.stop(c.flag("--name").orElse("default"));
            case "machine delete" -> machines.delete(c.flag("--name").orElseGet(() -> c.positionals().get(0)),
                    c.has("--force"));
            case "machine exec" -> machines.exec(c);
            case "machine cp" -> machines.copy(c.positionals().get(0), c.positionals().get(1));
            case "machine ls" -> {
                System.out.println(machines.list());
                yield 0;
            }
            default -> throw new SmolvmGrammar.UsageError("error: unrecognized subcommand '" + c.verb() + "'");
        };
    }

    private static void record(Path home, List<String> argv, int code) {
        try {
            Files.createDirectories(home);
            List<String> words = argv.stream().map(w -> w.replace("\\", "\\\\").replace("\n", "\\n")
                    .replace("\t", "\\t")).toList();
            Files.writeString(home.resolve("calls.log"), String.join("\t", words) + "\t=> " + code + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("stand-in: cannot record the call: " + e.getMessage());
        }
    }

    /** A shell script that runs the stand-in from {@code classpath}, written as {@code dir/smolvm}. */
    public static Path install(Path dir, String classpath) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("smolvm");
        Files.writeString(script, "#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '"
                + classpath + "' " + StandInSmolvm.class.getName() + " \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }
}
