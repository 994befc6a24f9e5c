package dev.claudebottle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.RecordChain;
import dev.claudebottle.contract.RotatedAway;
import dev.claudebottle.spi.command.InertText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle logs}: the bundle's log, or the egress audit log. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show a bottle's bundle log, or with --egress its record: one line per request, tunnel, "
                + "git fetch or push and alert, with the decision and rule, each chained to the line before by "
                + "its SHA-256. The record outlives the bottle: --egress and --verify work for stopped bottles. "
                + "A stopped bottle's bundle log is the copy the bundle kept beside its record (up to 1 MiB). "
                + "--follow keeps printing new lines: those of the bundle until it stops, those of the record "
                + "until interrupted. --verify checks the chain: exit 0 and the head hash (note it somewhere else "
                + "to prove later that nothing was cut off the end) and, when the oldest lines were rotated away, "
                + "how many and the hash they ended on; or exit 1 and the first broken link, or the lines gone from "
                + "the start without a rotation note saying so."})
final class LogsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SLUG", description = "The bottle.")
    String slug;

    @Option(names = "--egress", description = "Show the egress audit log.")
    boolean egress;

    @Option(names = "--verify", description = "Check that the record's lines chain from the first to the last.")
    boolean verify;

    @Option(names = "--kind", paramLabel = "KIND", description = "With --egress: only lines of this kind "
            + "(lifecycle, request, tunnel, connect, git-fetch, git-push, approval, supervise, audit); repeatable.")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--since", paramLabel = "WHEN", description = "With --egress: only lines from this time on: "
            + "an instant (2026-11-30T09:00:00Z) or an age (30s, 10m, 2h, 1d).")
    String since;

    @Option(names = "--follow", description = "Keep printing new lines: the bundle's until it stops, the audit "
            + "log's until interrupted. With --json, one JSON value a line.")
    boolean follow;

    @Mixin
    JsonOption json;

    LogsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (!slug.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new BadInputException("'" + slug + "' is not a bottle name", "bottle ls lists the bottles");
        }
        Path audit = context.kernel().paths().recordDir(slug).resolve(BundleLayout.RECORD_FILE);
        if (verify || egress) {
            if (RecordChain.files(audit).isEmpty()) {
                // a running bottle without a record yet, or a name that never ran here
                context.kernel().bottles().find(slug);
                throw new BadInputException("bottle " + slug + " has no record yet", "its gateway writes one");
            }
            return verify ? verify(audit) : egress(audit);
        }
        Path kept = audit.resolveSibling(BundleLayout.KEPT_LOG);
        boolean running = Files.isDirectory(context.kernel().paths().bottleDir(slug));
        if (!running && Files.isRegularFile(kept)) {
            // the bundle is gone with its bottle: what it said was kept beside the record
            List<String> lines = Files.readAllLines(kept);
            return print(lines.subList(Math.max(0, lines.size() - 500), lines.size()));
        }
        context.kernel().bottles().find(slug);
        if (follow) {
            // with --json, one JSON string a line, as the audit log is one JSON object a line
            context.kernel().bottles().followBundleLogs(slug, line -> {
                context.out().println(json.json ? Json.line(line) : InertText.of(line));
                context.out().flush();
            });
            return ExitCodes.OK;
        }
        return print(context.kernel().bottles().bundleLogs(slug, 500));
    }

    /** Prints bundle log lines, made inert, or as one JSON array. */
    private int print(List<String> lines) {
        if (json.json) {
            Json.print(context.out(), lines);
        } else {
            lines.forEach(line -> context.out().println(InertText.of(line)));
            context.out().flush();
        }
        return ExitCodes.OK;
    }

    private int egress(Path audit) throws Exception {
        if (!follow) {
            List<String> lines = new ArrayList<>();
            for (Path f : RecordChain.files(audit)) {
                lines.addAll(Files.readAllLines(f));
            }
            lines = new RecordFilter(kinds, since).apply(lines);
            if (json.json) {
                List<JsonNode> nodes = new ArrayList<>();
                for (String line : lines) {
                    nodes.add(JSON.readTree(line));
                }
                Json.print(context.out(), nodes);
            } else {
                lines.forEach(line -> context.out().println(InertText.of(line)));
                context.out().flush();
            }
            return ExitCodes.OK;
        }
        follow(audit);
        return ExitCodes.OK;
    }

    private int verify(Path audit) throws IOException {
        List<Path> files = RecordChain.files(audit);
        var broken = RecordChain.verify(files);
        Map<String, Object> result = verification(slug, audit);
        var intact = RecordChain.intact(files);
        if (json.json) {
            Json.print(context.out(), result);
        } else if (broken.isPresent()) {
            context.out().println("the record of " + slug + " is broken at " + broken.get().file() + ":"
                    + broken.get().line() + ": that line " + broken.get().what());
        } else {
            context.out().println("the record of " + slug + " chains: " + result.get("lines") + " lines from seq "
                    + result.get("first_seq") + ", head " + result.get("head")
                    + intact.flatMap(i -> i.rotatedAway().map(r -> "; " + i.firstSeq() + " lines before seq "
                            + i.firstSeq() + " rotated away, the last of them hashed " + r.head()
                            + " (the last rotation, at " + r.at() + ": " + r.reason() + ")")).orElse(""));
        }
        context.out().flush();
        return broken.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Whether the record of {@code slug} at {@code audit} chains, as {@code --verify --json} says it. */
    static Map<String, Object> verification(String slug, Path audit) throws IOException {
        List<Path> files = RecordChain.files(audit);
        var broken = RecordChain.verify(files);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("slug", slug);
        result.put("intact", broken.isEmpty());
        broken.ifPresent(b -> {
            result.put("file", b.file().toString());
            result.put("line", b.line());
            result.put("problem", b.what());
        });
        RecordChain.intact(files).ifPresent(i -> {
            result.put("lines", i.lines());
            result.put("first_seq", i.firstSeq());
            result.put("head", i.head());
            i.rotatedAway().ifPresent(r -> result.put("rotated_away", rotatedAway(i.firstSeq(), r)));
        });
        return result;
    }

    /** What went before the first line: every line before it, and what the last rotation took. */
    private static Map<String, Object> rotatedAway(long firstSeq, RotatedAway r) {
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("at", r.at().toString());
        last.put("lines", r.lines());
        last.put("carried", r.carried());
        last.put("from_seq", r.fromSeq());
        last.put("to_seq", r.toSeq());
        last.put("from", r.from());
        last.put("to", r.to());
        last.put("kinds", new java.util.TreeMap<>(r.kinds()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lines", firstSeq);
        out.put("head", r.head());
        out.put("last_rotation", last);
        return out;
    }

    /** Prints the audit log and every line appended to it, one JSON object per line, until interrupted. */
    private void follow(Path audit) throws IOException, InterruptedException {
        dev.claudebottle.records.RecordTail tail = new dev.claudebottle.records.RecordTail(audit);
        while (!Thread.currentThread().isInterrupted()) {
            List<String> lines = tail.next();
            lines.forEach(line -> context.out().println(InertText.of(line)));
            context.out().flush();
            if (lines.isEmpty()) {
                Thread.sleep(250);
            }
        }
    }
}
