package dev.claudebottle.spi.command;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * One call of a plugin command: its parsed arguments and the CLI's streams. Text a guest wrote
 * must go through {@link InertText} before it is printed.
 */
public interface CommandCall {
    /** Whether the flag was given, e.g. {@code flag("--json")}. */
    boolean flag(String option);

    /** The value of an option that takes one, if given. */
    Optional<String> option(String option);

    /** The value of a positional parameter, by its label, if given. */
    Optional<String> parameter(String label);

    /** Standard output. */
    PrintWriter out();

    /** Standard error. */
    PrintWriter err();

    /** What the user types. */
    InputStream in();

    /**
     * Prints {@code value} (maps, lists, strings, numbers, booleans) as one JSON document on
     * standard output, every non-ASCII and control character escaped, as {@code --json} does
     * everywhere.
     */
    void printJson(Object value);

    /**
     * Switches a terminal on standard input to deliver each key as it is pressed, without echo,
     * until the command returns.
     *
     * @return whether keys now arrive one by one (false without a terminal: input stays lines)
     */
    boolean keyByKey();
}
