package dev.claudebottle.spi;

/**
 * The outcome of a command run in the guest.
 *
 * @param exitCode the command's exit code
 * @param stdout   what it printed on standard output
 * @param stderr   what it printed on standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
    /** Whether the command exited 0. */
    public boolean ok() {
        return exitCode == 0;
    }
}
