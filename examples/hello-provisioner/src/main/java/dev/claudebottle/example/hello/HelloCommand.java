package dev.claudebottle.example.hello;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.command.CommandDef;
import dev.claudebottle.spi.command.OptionDef;
import dev.claudebottle.spi.command.ParameterDef;
import dev.claudebottle.spi.command.PluginCommand;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;

/**
 * An example third-party command, {@code bottle hello [NAME] [--shout] [--json]}: the CLI parses
 * it, lists it in {@code bottle --help}, renders its help, and turns a bad name (thrown as
 * {@link BadInputException}) into exit code 2 like any built-in command's.
 */
@Extension
public final class HelloCommand implements PluginCommand {
    private final BottlePaths paths;

    /** The kernel injects where claude-bottle keeps its state. */
    @Inject
    public HelloCommand(BottlePaths paths) {
        this.paths = paths;
    }

    @Override
    public CommandDef definition() {
        return CommandDef.leaf("hello", "Greet someone from a dropped-in plugin.",
                List.of(OptionDef.flag("--shout", "Greet in capitals."), OptionDef.JSON),
                List.of(new ParameterDef("NAME", "Who to greet (letters only); default: bottle.", false)),
                this::greet);
    }

    private int greet(CommandCall call) {
        String name = call.parameter("NAME").orElse("bottle");
        if (!name.matches("\\p{L}+")) {
            throw new BadInputException("'" + name + "' is not a name", "give letters only, e.g. bottle hello Ada");
        }
        String greeting = "Hello, " + name + ", from a dropped-in plugin (state in " + paths.home() + ")";
        greeting = call.flag("--shout") ? greeting.toUpperCase(Locale.ROOT) : greeting;
        if (call.flag("--json")) {
            call.printJson(Map.of("greeting", greeting));
        } else {
            call.out().println(greeting);
        }
        return 0;
    }
}
