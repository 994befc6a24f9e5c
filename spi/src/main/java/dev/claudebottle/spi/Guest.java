package dev.claudebottle.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The running guest, as every backend exposes it. Provisioning actions use only this, so they
 * run unchanged on Docker and on smolvm.
 */
public interface Guest {
    /** The user the agent runs as. */
    String AGENT_USER = "node";
    /** The superuser, for system setup. */
    String ROOT = "root";

    /**
     * Copies one host file into the guest.
     *
     * @param file  the host file
     * @param path  absolute destination path in the guest
     * @param owner user that will own the file
     * @param mode  permission bits, e.g. {@code 0600}
     */
    void copy(Path file, String path, String owner, int mode) throws Exception;

    /**
     * Writes bytes to a guest file, creating parent directories.
     *
     * @param content the file's content
     * @param path    absolute destination path in the guest
     * @param owner   user that will own the file
     * @param mode    permission bits
     */
    void write(byte[] content, String path, String owner, int mode) throws Exception;

    /**
     * Copies a host directory tree into the guest, owned by {@code owner}.
     *
     * @param directory the host directory
     * @param path      absolute destination directory in the guest
     * @param owner     user that will own every copied entry
     */
    void copyTree(Path directory, String path, String owner) throws Exception;

    /**
     * Runs a command in the guest and waits for it.
     *
     * @param user the user to run as
     * @param argv the command and its arguments
     * @param env  extra env entries on top of the guest env
     */
    ExecResult exec(String user, List<String> argv, Map<String, String> env) throws Exception;

    /**
     * Runs a command in the guest with its output streamed as it comes.
     *
     * @return the command's exit code
     */
    int execStreaming(String user, List<String> argv, Map<String, String> env, java.io.OutputStream out,
                      java.io.OutputStream err) throws Exception;

    /**
     * Runs a command in the guest with its standard input read from {@code in} until its end, and
     * its output streamed as it comes. A guest that cannot forward input runs the command without.
     *
     * @return the command's exit code
     */
    default int execStreaming(String user, List<String> argv, Map<String, String> env, java.io.InputStream in,
                              java.io.OutputStream out, java.io.OutputStream err) throws Exception {
        return execStreaming(user, argv, env, out, err);
    }

    /**
     * Runs a command on a terminal in the guest, wired to the given input and output, until it exits.
     *
     * @param columns the terminal's width
     * @param rows    the terminal's height
     * @return the command's exit code
     */
    int execInteractive(String user, List<String> argv, java.io.InputStream in, java.io.OutputStream out,
                        int columns, int rows) throws Exception;
}
