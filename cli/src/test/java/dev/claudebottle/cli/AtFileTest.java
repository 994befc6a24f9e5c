package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An argument that starts with {@code @} is that argument: no file of the host is read into a command
 * line, whose words may go into the guest ({@code bottle exec SLUG -- cat @~/.ssh/id_ed25519}).
 */
class AtFileTest {
    private static final String SECRET = "host-only-secret-4b5c1ba2";
    @TempDir
    Path home;
    Path hostFile;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void hostFile() throws IOException {
        hostFile = Files.writeString(home.resolve("id_ed25519"), SECRET + "\n");
    }

    private CliContext context() {
        return new CliContext(HostEnvironment.of(Map.of("CLAUDE_BOTTLE_HOME", home.toString())), home,
                Optional.empty(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private <T> T parsed(Class<T> type, String... args) {
        CommandLine bottle = Cli.commandLine(context(), args);
        List<CommandLine> commands = bottle.parseArgs(args).asCommandLineList();
        return type.cast(commands.get(commands.size() - 1).getCommand());
    }

    @Test
    void execPassesAnAtFileArgumentIntoTheGuestAsItIsNotTheHostFilesContent() {
        String at = "@" + hostFile;

        ExecCommand exec = parsed(ExecCommand.class, "exec", "web-3f2a", "--", "cat", at);

        assertThat(exec.command).containsExactly("cat", at);
        assertThat(String.join(" ", exec.command)).doesNotContain(SECRET);
    }

    @Test
    void runPassesAnAtFileArgumentAsItIsAndSoDoesItsAgentName() {
        String at = "@" + hostFile;

        RunCommand run = parsed(RunCommand.class, "run", "claude", "--", "echo", at, "@@" + hostFile);
        RunCommand agent = parsed(RunCommand.class, "run", at, "--", "true");

        assertThat(run.command).containsExactly("echo", at, "@@" + hostFile);
        assertThat(agent.agent).isEqualTo(at);
    }

    @Test
    void aPluginCommandGetsAnAtFileArgumentAsItIs() {
        CliContext context = context();
        CommandLine bottle = Cli.commandLine(context, "ls");
        PluginCommand echo = () -> CommandDef.leaf("echo", "Echoes.", List.of(),
                List.of(new ParameterDef("WORD", "A word.", true)), call -> {
                    call.out().println(call.parameter("WORD").orElseThrow());
                    return 0;
                });
        PluginCommands.add(bottle, List.of(new Owned<>("p", echo)), context);

        assertThat(bottle.execute("echo", "@" + hostFile)).isZero();
        assertThat(out.toString()).isEqualTo("@" + hostFile + System.lineSeparator()).doesNotContain(SECRET);
    }
}
