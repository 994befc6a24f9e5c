package dev.claudebottle.cli;

import dev.claudebottle.spi.Guest;
import java.util.List;
import java.util.Map;

/**
 * A guest command off a terminal, as {@code run} and {@code exec} give it: the CLI's standard input
 * until its end, output streamed to the CLI's own streams, its exit code returned.
 */
final class StreamedCommand {
    private StreamedCommand() {
    }

    /** Runs {@code command} as the agent user and returns its exit code. */
    static int run(CliContext context, Guest guest, List<String> command) throws Exception {
        WriterOutputStream out = new WriterOutputStream(context.out());
        WriterOutputStream err = new WriterOutputStream(context.err());
        int code = guest.execStreaming(Guest.AGENT_USER, command, Map.of(), context.terminalIn(), out, err);
        out.flush();
        err.flush();
        return code;
    }
}
