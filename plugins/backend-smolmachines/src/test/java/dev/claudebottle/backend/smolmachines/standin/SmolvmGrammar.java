package dev.claudebottle.backend.smolmachines.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * smolvm's command-line grammar as the reference describes it for one version, strict enough to
 * reject every trap: {@code exec NAME -- cmd}, a positional name where {@code --name} is needed
 * (and the reverse), unknown flags, {@code --from} with {@code --image}, the wrong {@code pack}
 * forms, {@code -e KEY} forwarding before 0.8.1, {@code cp} without exactly one guest side.
 */
public final class SmolvmGrammar {
    private final int[] version;

    /** The grammar of {@code version} ({major, minor, patch}). */
    public SmolvmGrammar(int[] version) {
        this.version = version.clone();
    }

    /** {@code 1.8.0} as {1, 8, 0}. */
    public static int[] version(String text) {
        String[] parts = text.strip().split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    boolean atLeast(int major, int minor, int patch) {
        int[] other = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (version[i] != other[i]) {
                return version[i] > other[i];
            }
        }
        return true;
    }

    private boolean nameFlag() {
        return atLeast(1, 0, 2);
    }

    /** A usage error: smolvm prints it and exits 2. */
    public static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    /** A parsed command: its words, its flags (repeatable ones in order), its positionals and trailing command. */
    public record Command(String verb, Map<String, List<String>> flags, List<String> positionals, List<String> trailing) {
        /** The last value of a flag. */
        public Optional<String> flag(String name) {
            List<String> values = flags.getOrDefault(name, List.of());
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
        }

        /** Every value of a repeatable flag. */
        public List<String> all(String name) {
            return flags.getOrDefault(name, List.of());
        }

        /** Whether the flag was given. */
        public boolean has(String name) {
            return flags.containsKey(name);
        }
    }

    /** A flag: its long name, short alias, and whether it takes a value. */
    private record Flag(String name, String shortName, boolean value) {
    }

    /** Parses an argv without the executable; throws {@link UsageError} where smolvm would exit 2. */
    public Command parse(List<String> argv) {
        if (argv.equals(List.of("--version")) || argv.equals(List.of("-V"))) {
            return new Command("version", Map.of(), List.of(), List.of());
        }
        if (argv.size() < 2) {
            throw new UsageError("error: a subcommand is required\n\nUsage: smolvm <COMMAND>");
        }
        String group = argv.get(0);
        String verb = argv.get(1);
        List<String> rest = argv.subList(2, argv.size());
        return switch (group) {
            case "pack" -> pack(verb, rest);
            case "machine" -> machine(verb, rest);
            default -> throw new UsageError("error: unrecognized subcommand '" + group + "'");
        };
    }

    private Command pack(String verb, List<String> rest) {
        if (!verb.equals("create")) {
            throw new UsageError("error: unrecognized subcommand '" + verb + "'\n\nUsage: smolvm pack create "
                    + "--image <IMAGE> --output <OUTPUT>");
        }
        Command c = flags("pack create", rest, List.of(new Flag("--image", "-I", true),
                new Flag("--output", "-o", true)), 0, false);
        if (!c.has("--image") || !c.has("--output")) {
            throw new UsageError("error: the following required arguments were not provided: --image <IMAGE> "
                    + "--output <OUTPUT>");
        }
        return c;
    }

    private Command machine(String verb, List<String> rest) {
        Flag name = new Flag("--name", "-n", true);
        return switch (verb) {
            case "create" -> create(rest);
            case "start", "stop" -> flags("machine " + verb, rest, List.of(name), 0, false);
            case "delete" -> {
                Flag force = new Flag("--force", "-f", false);
                Command c = nameFlag()
                        ? flags("machine delete", rest, List.of(name, force), 0, false)
                        : flags("machine delete", rest, List.of(force), 1, false);
                if (nameFlag() && !c.has("--name")) {
                    throw new UsageError("error: the following required arguments were not provided: --name <NAME>");
                }
                if (!nameFlag() && c.positionals().isEmpty()) {
                    throw new UsageError("error: the following required arguments were not provided: <NAME>");
                }
                yield c;
            }
            case "exec" -> exec(rest);
            case "cp" -> cp(rest);
            case "ls" -> flags("machine ls", rest, List.of(new Flag("--verbose", "-v", false),
                    new Flag("--json", null, false)), 0, false);
            default -> throw new UsageError("error: unrecognized subcommand '" + verb + "'");
        };
    }

    private Command create(List<String> rest) {
        List<Flag> known = new ArrayList<>(List.of(new Flag("--image", "-I", true), new Flag("--cpus", null, true),
                new Flag("--mem", null, true), new Flag("--volume", "-v", true), new Flag("--port", "-p", true),
                new Flag("--net", null, false), new Flag("--allow-cidr", null, true),
                new Flag("--allow-host", null, true), new Flag("--outbound-localhost-only", null, false),
                new Flag("--env", "-e", true), new Flag("--workdir", "-w", true), new Flag("--init", null, true),
                new Flag("--ssh-agent", null, false), new Flag("--smolfile", "-s", true),
                new Flag("--from", null, true)));
        if (nameFlag()) {
            known.add(new Flag("--name", "-n", true));
        }
        Command c = flags("machine create", rest, known, nameFlag() ? 0 : 1, false);
        if (nameFlag() && !c.has("--name")) {
            throw new UsageError("error: the following required arguments were not provided: --name <NAME>");
        }
        if (c.has("--from") && (c.has("--image") || c.has("--smolfile"))) {
            throw new UsageError("error: the argument '--from <FROM>' cannot be used with '"
                    + (c.has("--image") ? "--image <IMAGE>" : "--smolfile <SMOLFILE>") + "'");
        }
        for (String env : c.all("--env")) {
            checkEnv(env);
        }
        // clap parses --cpus as a u8 and --mem as a u32: a fraction, a unit or a larger number is a usage error
        c.flag("--cpus").ifPresent(v -> checkUnsigned(v, "--cpus <N>", 0xFFL));
        c.flag("--mem").ifPresent(v -> checkUnsigned(v, "--mem <MiB>", 0xFFFF_FFFFL));
        return c;
    }

    private static void checkUnsigned(String value, String flag, long max) {
        boolean ok = value.matches("\\d{1,10}") && Long.parseLong(value) <= max;
        if (!ok) {
            throw new UsageError("error: invalid value '" + value + "' for '" + flag + "': number too large to fit "
                    + "in target type, or not a whole number");
        }
    }

    private Command exec(List<String> rest) {
        Command c = flags("machine exec", rest, List.of(new Flag("--name", "-n", true),
                new Flag("--workdir", "-w", true), new Flag("--env", "-e", true), new Flag("--timeout", null, true),
                new Flag("--interactive", "-i", false), new Flag("--tty", "-t", false),
                new Flag("--stream", null, false)), 0, true);
        if (!c.positionals().isEmpty()) {
            throw new UsageError("error: 'machine exec' takes no machine name as a word: '" + c.positionals().get(0)
                    + "' would run as the command on machine \"default\"; use --name " + c.positionals().get(0));
        }
        if (c.trailing().isEmpty()) {
            throw new UsageError("error: the following required arguments were not provided: -- <COMMAND>...");
        }
        for (String env : c.all("--env")) {
            checkEnv(env);
        }
        return c;
    }

    private Command cp(List<String> rest) {
        List<Flag> known = new ArrayList<>();
        if (nameFlag()) {
            known.addAll(List.of(new Flag("--uid", null, true), new Flag("--gid", null, true),
                    new Flag("--mode", null, true)));
        }
        Command c = flags("machine cp", rest, known, 2, false);
        if (c.positionals().size() != 2) {
            throw new UsageError("error: 'machine cp' takes exactly SRC and DST");
        }
        long guestSides = c.positionals().stream().filter(SmolvmGrammar::guestPath).count();
        if (guestSides != 1) {
            throw new UsageError("error: exactly one of SRC and DST must be NAME:/path (got " + guestSides + ")");
        }
        if (guestPath(c.positionals().get(0)) && (c.has("--uid") || c.has("--gid") || c.has("--mode"))) {
            throw new UsageError("error: --uid, --gid and --mode apply to uploads only");
        }
        return c;
    }

    static boolean guestPath(String arg) {
        int colon = arg.indexOf(':');
        return colon > 0 && arg.startsWith("/", colon + 1) && !arg.substring(0, colon).contains("/");
    }

    private void checkEnv(String env) {
        if (!env.contains("=") && !atLeast(0, 8, 1)) {
            throw new UsageError("error: invalid value '" + env + "' for '--env <ENV>': expected KEY=VALUE");
        }
        String key = env.contains("=") ? env.substring(0, env.indexOf('=')) : env;
        if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new UsageError("error: invalid value '" + env + "' for '--env <ENV>'");
        }
    }

    /**
     * Parses flags, at most {@code maxPositionals} positionals, and (when {@code trailingAllowed})
     * a command after {@code --}.
     */
    private Command flags(String verb, List<String> args, List<Flag> known, int maxPositionals,
                          boolean trailingAllowed) {
        Map<String, List<String>> flags = new java.util.LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        List<String> trailing = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (!trailingAllowed) {
                    throw new UsageError("error: unexpected argument '--' found");
                }
                trailing.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                List<String> names = new ArrayList<>();
                Optional<String> inline = Optional.empty();
                if (arg.startsWith("--")) {
                    int eq = arg.indexOf('=');
                    names.add(eq < 0 ? arg : arg.substring(0, eq));
                    inline = eq < 0 ? Optional.empty() : Optional.of(arg.substring(eq + 1));
                } else {
                    for (char ch : arg.substring(1).toCharArray()) {
                        names.add("-" + ch);
                    }
                }
                for (int n = 0; n < names.size(); n++) {
                    String given = names.get(n);
                    Flag flag = known.stream().filter(f -> f.name().equals(given) || given.equals(f.shortName()))
                            .findFirst().orElseThrow(() -> new UsageError("error: unexpected argument '" + given
                                    + "' found\n\nUsage: smolvm " + verb + " [OPTIONS]"));
                    String value = null;
                    if (flag.value()) {
                        if (inline.isPresent()) {
                            value = inline.get();
                        } else if (n < names.size() - 1) {
                            value = String.join("", names.subList(n + 1, names.size())).replace("-", "");
                            n = names.size();
                        } else if (i + 1 < args.size()) {
                            value = args.get(++i);
                        } else {
                            throw new UsageError("error: a value is required for '" + flag.name() + "'");
                        }
                    } else if (inline.isPresent()) {
                        throw new UsageError("error: '" + flag.name() + "' takes no value");
                    }
                    flags.computeIfAbsent(flag.name(), k -> new ArrayList<>()).add(value);
                }
                continue;
            }
            if (positionals.size() >= maxPositionals && !trailingAllowed) {
                throw new UsageError("error: unexpected argument '" + arg + "' found\n\nUsage: smolvm " + verb
                        + " [OPTIONS]");
            }
            positionals.add(arg);
        }
        return new Command(verb, flags, positionals, trailing);
    }
}
