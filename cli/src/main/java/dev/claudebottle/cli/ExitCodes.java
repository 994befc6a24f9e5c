package dev.claudebottle.cli;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.EnvironmentException;

/** The CLI's exit codes and the one place exceptions map to them. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Something failed. */
    public static final int FAILURE = 1;
    /** Bad input: usage, manifest, unknown agent or backend. */
    public static final int BAD_INPUT = 2;
    /** The environment lacks something: no Docker, backend prerequisites missing. */
    public static final int ENVIRONMENT = 3;

    private ExitCodes() {
    }

    /** The exit code for an exception. */
    public static int of(Throwable e) {
        if (e instanceof BadInputException) {
            return BAD_INPUT;
        }
        if (e instanceof EnvironmentException) {
            return ENVIRONMENT;
        }
        return FAILURE;
    }
}
