package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.OptionDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Plugin commands beside the built-in ones: names are never taken twice, and arguments arrive as parsed. */
class PluginCommandsTest {
    @TempDir
    Path home;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private CliContext context() {
        return new CliContext(HostEnvironment.of(Map.of("CLAUDE_BOTTLE_HOME", home.toString())), home,
                Optional.empty(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static Owned<PluginCommand> command(String plugin, String name, String said) {
        return new Owned<>(plugin, () -> CommandDef.leaf(name, "says " + said, List.of(OptionDef.value("--times", "N",
                "How often.")), List.of(new ParameterDef("WHO", "Whom.", false)), call -> {
                    String who = call.parameter("WHO").orElse("nobody");
                    int times = Integer.parseInt(call.option("--times").orElse("1"));
                    call.out().println((said + " " + who + " ").repeat(times).strip());
                    return 3;
                }));
    }

    @Test
    void aNameTakenByABuiltInOrAnEarlierPluginIsSkippedWithAWarningNamingBoth() {
        CliContext context = context();
        CommandLine bottle = Cli.commandLine(context, "ls");

        PluginCommands.add(bottle, List.of(command("first", "ls", "impostor"), command("second", "greet", "hi"),
                command("third", "greet", "boo")), context);

        assertThat((Object) bottle.getSubcommands().get("ls").getCommand()).isInstanceOf(LsCommand.class);
        assertThat(err.toString()).contains("plugin first's command 'ls' was skipped: a built-in command has that name")
                .contains("plugin third's command 'greet' was skipped: plugin second has that name");
        assertThat(bottle.execute("greet", "Ada", "--times", "2")).isEqualTo(3);
        assertThat(out.toString()).isEqualTo("hi Ada hi Ada" + System.lineSeparator());
    }

    @Test
    void aGroupWithoutAnActionShowsItsSubcommands() {
        CliContext context = context();
        CommandLine bottle = Cli.commandLine(context, "ls");
        PluginCommand group = () -> CommandDef.group("team", "Team things.", List.of(
                CommandDef.leaf("wave", "Waves.", List.of(), List.of(), call -> 0)));

        PluginCommands.add(bottle, List.of(new Owned<>("p", group)), context);

        assertThat(bottle.execute("team")).isZero();
        assertThat(out.toString()).contains("Usage: bottle team").contains("wave").contains("Waves.");
    }
}
