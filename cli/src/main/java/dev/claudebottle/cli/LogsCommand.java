package dev.claudebottle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.command.InertText;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bottle logs}: the bundle's log, or the egress audit log. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show a bottle's bundle log, or with --egress its audit log: one line per request or "
                + "tunnel with the gateway's decision and rule. --follow keeps printing new lines: those of the "
                + "bundle until it stops, those of the audit log until interrupted."})
final class LogsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SLUG", description = "The bottle.")
    String slug;

    @Option(names = "--egress", description = "Show the egress audit log.")
    boolean egress;

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
        context.kernel().bottles().find(slug);
        if (!egress) {
            if (follow) {
                // with --json, one JSON string a line, as the audit log is one JSON object a line
                context.kernel().bottles().followBundleLogs(slug, line -> {
                    context.out().println(json.json ? Json.line(line) : InertText.of(line));
                    context.out().flush();
                });
                return ExitCodes.OK;
            }
            List<String> lines = context.kernel().bottles().bundleLogs(slug, 500);
            if (json.json) {
                Json.print(context.out(), lines);
            } else {
                lines.forEach(line -> context.out().println(InertText.of(line)));
                context.out().flush();
            }
            return ExitCodes.OK;
        }
        Path audit = context.kernel().paths().bottleDir(slug).resolve("audit/audit.jsonl");
        if (!follow) {
            List<String> lines = auditLines(audit);
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

    /** The audit record's lines, the rotated files' (oldest first) before the current file's. */
    private static List<String> auditLines(Path audit) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int n = 9; n >= 1; n--) {
            Path rotated = audit.resolveSibling(audit.getFileName() + "." + n);
            if (Files.exists(rotated)) {
                lines.addAll(Files.readAllLines(rotated));
            }
        }
        if (Files.exists(audit)) {
            lines.addAll(Files.readAllLines(audit));
        }
        return lines;
    }

    /** Prints the audit log and every line appended to it, one JSON object per line, until interrupted. */
    private void follow(Path audit) throws IOException, InterruptedException {
        long position = 0;
        while (!Thread.currentThread().isInterrupted()) {
            if (Files.exists(audit)) {
                try (RandomAccessFile file = new RandomAccessFile(audit.toFile(), "r")) {
                    if (file.length() < position) {
                        // the file was rotated: the new one starts from its beginning
                        position = 0;
                    }
                    file.seek(position);
                    byte[] bytes = new byte[(int) Math.max(0, file.length() - position)];
                    file.readFully(bytes);
                    int end = bytes.length;
                    while (end > 0 && bytes[end - 1] != '\n') {
                        end--;
                    }
                    if (end > 0) {
                        new String(bytes, 0, end, StandardCharsets.UTF_8).lines()
                                .forEach(line -> context.out().println(InertText.of(line)));
                        context.out().flush();
                        position += end;
                    }
                }
            } else if (!Files.isDirectory(context.kernel().paths().bottleDir(slug))) {
                return;
            }
            Thread.sleep(250);
        }
    }
}
